/** Default task queue served by this package's worker. */
export const DEFAULT_TASK_QUEUE = 'tencent-ci-asr';
