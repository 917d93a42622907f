import type { SpeechRecognitionParams } from '../types';

/** What a setup call was doing when it failed (the `action` of its `CiError`). */
export type CiSetupAction =
  | 'openBucket'
  | 'closeBucket'
  | 'describeBuckets'
  | 'describeQueues'
  | 'updateQueue'
  | 'createTemplate'
  | 'listTemplates'
  | 'updateTemplate'
  | 'deleteTemplate'
  | 'createHotVocabTable'
  | 'getHotVocabTable'
  | 'listHotVocabTables'
  | 'updateHotVocabTable'
  | 'deleteHotVocabTable';

/** CI's paging echo (`TotalCount`, `PageNumber`, `PageSize`). */
export interface CiPaging {
  totalCount: number;
  pageNumber: number;
  pageSize: number;
}

/** `pageNumber`/`pageSize` of a list call (whole numbers ≥ 1; CI's defaults 1 and 10). */
export interface CiPageRequest {
  pageNumber?: number;
  /** 1-100. */
  pageSize?: number;
}

/** A bucket with the ASR service (`AsrBucketList` / `AsrBucket`). */
export interface AsrBucket {
  bucketId: string;
  name?: string;
  region?: string;
  /** As CI sends it, e.g. `2022-08-11T00:00:00+0800`. */
  createTime?: string;
  aliasBucketId?: string;
}

/** Filters of `GET /asrbucket` (sent to the region host `ci.<region>.myqcloud.com`). */
export interface DescribeAsrBucketsFilter extends CiPageRequest {
  /** Regions, e.g. `['ap-shanghai']`, or `['All']`. */
  regions?: readonly string[];
  /** Bucket name prefix. */
  bucketName?: string;
  /** Exact bucket ids (`name-appid`). */
  bucketNames?: readonly string[];
}

/** One page of bound buckets. */
export interface AsrBucketPage extends CiPaging {
  buckets: AsrBucket[];
}

/** A queue's callback settings (`NotifyConfig`). */
export interface QueueNotifyConfig {
  /** `On` sends a callback for jobs without their own `CallBack`. */
  State: 'On' | 'Off';
  Url?: string;
  Type?: 'Url' | 'TDMQ';
  /** Comma list; `TaskFinish` for jobs, `WorkflowFinish` for workflows. */
  Event?: string;
  ResultFormat?: 'XML' | 'JSON';
  MqMode?: 'Queue' | 'Topic';
  MqRegion?: string;
  MqName?: string;
}

/** An ASR queue (`QueueList` entry). */
export interface AsrQueue {
  queueId: string;
  name?: string;
  state: 'Active' | 'Paused';
  /** Jobs the queue holds at most. */
  maxSize?: number;
  /** Jobs running at once. */
  maxConcurrent?: number;
  createTime?: string;
  updateTime?: string;
  notifyConfig?: QueueNotifyConfig;
  category?: string;
}

/** Filters of `GET /asrqueue`. */
export interface DescribeAsrQueuesFilter extends CiPageRequest {
  queueIds?: readonly string[];
  /** Default `All`. */
  state?: 'All' | 'Active' | 'Paused';
}

/** One page of queues; `nonExistentQueueIds` lists asked-for ids CI does not know (`NonExistPIDs`). */
export interface AsrQueuePage extends CiPaging {
  queues: AsrQueue[];
  nonExistentQueueIds: string[];
}

/** Changes for `PUT /asrqueue/<id>`; fields left out keep their current value (the client reads them first). */
export interface UpdateAsrQueueRequest {
  name?: string;
  state?: 'Active' | 'Paused';
  notifyConfig?: QueueNotifyConfig;
}

/** Body of a `SpeechRecognition` template (create and update). */
export interface AsrTemplateRequest {
  Name: string;
  SpeechRecognition: SpeechRecognitionParams;
}

/** A template as CI returns it; `SpeechRecognition` values stay strings, as CI echoes them. */
export interface AsrTemplate {
  templateId: string;
  name: string;
  tag?: string;
  category?: string;
  bucketId?: string;
  createTime?: string;
  updateTime?: string;
  speechRecognition: Record<string, string>;
}

/** Filters of `GET /template` (always sent with `tag=SpeechRecognition`). */
export interface ListAsrTemplatesFilter extends CiPageRequest {
  /** Default `Custom`. */
  category?: 'Custom' | 'Official';
  ids?: readonly string[];
  /** Name prefix. */
  name?: string;
}

/** One page of templates. */
export interface AsrTemplatePage extends CiPaging {
  templates: AsrTemplate[];
}

/** One hot word and its weight (1-10, 11 = super hot, 100 = forced; see docs/ci-client.md). */
export interface HotVocabWord {
  Vocabulary: string;
  Weight: number;
}

/** Body of a hot-word table (create and update). */
export interface HotVocabTableRequest {
  TableName: string;
  TableDescription?: string;
  VocabularyWeights: readonly HotVocabWord[];
}

/** A hot-word table as CI returns it. */
export interface HotVocabTable {
  tableId: string;
  tableName?: string;
  tableDescription?: string;
  words: HotVocabWord[];
  createTime?: string;
  updateTime?: string;
}

/** `offset`/`limit` of `GET /asrhotvocabtable`. */
export interface ListHotVocabTablesFilter {
  offset?: number;
  /** 1-100, default 10. */
  limit?: number;
}

/** One page of hot-word tables. */
export interface HotVocabTablePage {
  totalCount: number;
  tables: HotVocabTable[];
}
