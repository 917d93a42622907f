// Recipe 2: the `workflowsPath` of your worker: this package's workflows (transcribeMedia, transcribeBatch) and yours.
export * from 'temporal-tencent-ci-asr/workflows';
export * from './transcribe-upload';
