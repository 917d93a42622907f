import type { SubmitAsrJobRequest } from '../../ci/types';
import { cosUri } from '../../cos/ref';
import type { ObjectLocation, SubmitJobInput } from '../../contract';

/** The worker-level defaults that complete a workflow's request. */
export interface JobDefaults {
  bucket: string;
  region: string;
  queueId?: string;
}

/** Where a job runs and writes: the workflow's choices, else the worker's defaults. */
export interface JobPlacement {
  bucket: string;
  region: string;
  output: ObjectLocation;
}

/** Resolves bucket, region and output object from the request and the worker's defaults. */
export function placeJob(request: SubmitJobInput['request'], defaults: JobDefaults): JobPlacement {
  const bucket = request.bucket ?? defaults.bucket;
  const region = request.region ?? defaults.region;
  const outBucket = request.output.bucket ?? bucket;
  const outRegion = request.output.region ?? region;
  const key = request.output.key;
  return {
    bucket,
    region,
    output: { bucket: outBucket, region: outRegion, key, uri: cosUri({ Bucket: outBucket, Key: key }) },
  };
}

/** Builds the CI submit body for a workflow step: tagged `UserData`, optional callback. */
export function buildSubmitRequest(
  request: SubmitJobInput['request'],
  placement: JobPlacement,
  defaults: JobDefaults,
  userData: string,
  callbackUrl: string | undefined,
): SubmitAsrJobRequest {
  const { media, recognition } = request;
  const Output = { Region: placement.output.region, Bucket: placement.output.bucket, Object: placement.output.key };
  const common = {
    Output,
    UserData: userData,
    ...(request.jobLevel === undefined ? {} : { JobLevel: request.jobLevel }),
  };
  const Operation =
    'templateId' in recognition
      ? { ...common, TemplateId: recognition.templateId }
      : { ...common, SpeechRecognition: recognition.speechRecognition };
  const queueId = request.queueId ?? defaults.queueId;
  return {
    Input: 'object' in media ? { Object: media.object } : { Url: media.url },
    Operation,
    ...(queueId ? { QueueId: queueId } : {}),
    ...(callbackUrl ? { CallBack: callbackUrl, CallBackFormat: request.callback.format, CallBackType: 'Url' } : {}),
  };
}
