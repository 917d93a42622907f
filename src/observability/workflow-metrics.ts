import type {
  ActivityInput,
  Next,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { ActivityFailure, ApplicationFailure, ContinueAsNew, isCancellation, metricMeter } from '@temporalio/workflow';
import type { StoreResultInput, SubmittedJob, TranscriptionResult } from '../contract';
import { WorkerMetric } from './metric-names';

/** What one run learnt about its job, shared by its inbound and outbound interceptors. */
interface RunFacts {
  /** Workflow time when this run's submit returned; undefined for a run continued from an earlier one. */
  submittedAtMs?: number;
  /** CI's creation time of the job, the fallback start of the submit-to-result time. */
  createdAt?: string;
}

/** The `outcome` label of a run that ended with `err`: the failure's stable type, `cancelled` or `failed`. */
export function outcomeOf(err: unknown): string {
  if (isCancellation(err)) return 'cancelled';
  const failure = err instanceof ActivityFailure ? err.cause : err;
  return failure instanceof ApplicationFailure && failure.type ? failure.type : 'failed';
}

/** Counts submits and adoptions, and remembers when the job was submitted. */
class TranscriptionOutbound implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly facts: RunFacts) {}

  async scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    const output = await next(input);
    if (input.activityType === 'submitTranscriptionJob') {
      const job = output as SubmittedJob;
      this.facts.submittedAtMs = Date.now();
      this.facts.createdAt = job.createdAt;
      metricMeter.createCounter(job.adopted ? WorkerMetric.jobsAdopted : WorkerMetric.jobsSubmitted).add(1);
    } else if (input.activityType === 'checkTranscriptionJob') {
      this.facts.createdAt ??= (input.args[0] as StoreResultInput).job.createdAt;
    }
    return output;
  }
}

/** Records how each run ended; continue-as-new is not an end. */
class TranscriptionInbound implements WorkflowInboundCallsInterceptor {
  constructor(private readonly facts: RunFacts) {}

  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
    let result: TranscriptionResult;
    try {
      result = (await next(input)) as TranscriptionResult;
    } catch (err) {
      if (!(err instanceof ContinueAsNew)) this.finished(outcomeOf(err), 'none');
      throw err;
    }
    this.finished('completed', result.completedBy);
    const startMs = this.facts.submittedAtMs ?? Date.parse(this.facts.createdAt ?? '');
    if (Number.isFinite(startMs)) {
      metricMeter
        .createHistogram(WorkerMetric.submitToResult, 'float', 's', 'Time from CI submit to stored result')
        .record(Math.max(0, (Date.now() - startMs) / 1000), { completed_by: result.completedBy });
    }
    metricMeter
      .createHistogram(WorkerMetric.audioDuration, 'float', 's', 'Audio duration of each transcribed file')
      .record(result.audioTimeSeconds);
    return result;
  }

  private finished(outcome: string, completedBy: string): void {
    metricMeter
      .createCounter(WorkerMetric.transcriptionsFinished, 'runs', 'Finished transcribeMedia runs')
      .add(1, { outcome, completed_by: completedBy });
  }
}

/**
 * Business-metric interceptors for one `transcribeMedia` run. The workflow `metricMeter` emits nothing while the
 * worker replays history, so a run is counted once however often it is replayed.
 */
export function transcriptionMetricsInterceptors(): {
  inbound: WorkflowInboundCallsInterceptor[];
  outbound: WorkflowOutboundCallsInterceptor[];
} {
  const facts: RunFacts = {};
  return { inbound: [new TranscriptionInbound(facts)], outbound: [new TranscriptionOutbound(facts)] };
}
