/** Workflow entry point for `workflowsPath` / `bundleWorkflowCode`. */
export {};
