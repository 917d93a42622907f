import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attribute holding the Tencent CI job id of a `transcribeMedia` run (Keyword). */
export const CI_JOB_ID = defineSearchAttributeKey('CiJobId', SearchAttributeType.KEYWORD);

/** Search attribute holding the last known CI job state (`Submitted`, `Running`, `Success`, ...) (Keyword). */
export const CI_JOB_STATE = defineSearchAttributeKey('CiJobState', SearchAttributeType.KEYWORD);

/** Every custom search attribute the workflows upsert; a namespace must have them registered. */
export const PROJECT_SEARCH_ATTRIBUTES = [CI_JOB_ID, CI_JOB_STATE] as const;
