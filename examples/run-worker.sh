npm install temporal-tencent-ci-asr
export TEMPORAL_ADDRESS=temporal.internal:7233 TEMPORAL_NAMESPACE=default TEMPORAL_TASK_QUEUE=tencent-ci-asr
export TENCENT_SECRET_ID=... TENCENT_SECRET_KEY=... CI_BUCKET=media-1250000000 CI_REGION=ap-guangzhou
npx transcribe-asr-worker
