import { defineSignal } from '@temporalio/workflow';

/** The "job finished" signal the baseline waits for; the activity sends it, so both sides import it from here. */
export const baselineDoneSignal = defineSignal('baselineDone');
