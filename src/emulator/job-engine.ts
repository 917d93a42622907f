import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorCounters } from './counters';
import { bump } from './counters';
import type { FaultConfig } from './faults';
import { forcedFailureFor, isHeld } from './faults';
import type { CancelOutcome } from './job-lifecycle';
import {
  applyQueuePause,
  cancelJob,
  failJob,
  jobsToStart,
  msUntilNextEligible,
  startJob,
  succeedJob,
} from './job-lifecycle';
import type { EmulatedJob, JobSpec } from './job-model';
import { inputLabel } from './job-model';
import type { UrlResolver } from './job-output';
import { produceResult, resolveInput } from './job-output';
import { looksLikeMedia } from './media-sniff';
import type { ObjectStore } from './object-store';

/** What the engine needs from the emulator around it. */
export interface JobEngineDeps {
  objects: ObjectStore;
  counters: () => EmulatorCounters;
  faults: () => FaultConfig;
  timings: { queuedMs: number; runningMs: number };
  concurrency: number;
  clock: () => number;
  resolveUrl: UrlResolver;
  downloadTimeoutMs: number;
  /** `Code` of a job whose input is not media (the `undecodableMediaCode` variant). */
  undecodableMediaCode: string;
  /** A job reached Success or Failed. */
  onFinished: (job: EmulatedJob) => void;
  /** Any job changed (persistence hooks in here). */
  onChange: () => void;
}

/** The default queue id of a bucket: `p` + 32 hex, stable across restarts. */
export function defaultQueueId(bucket: string): string {
  return `p${createHash('md5').update(`asr-queue:${bucket}`).digest('hex')}`;
}

/** How often a held job (fault `holdJobs`) looks whether it was released. */
const HOLD_RECHECK_MS = 100;

/** Holds the jobs and drives them `Submitted → Running → Success | Failed` on timers. */
export class JobEngine {
  private readonly jobs = new Map<string, EmulatedJob>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly finishing = new Set<string>();
  /** Ids of the unfinished jobs, kept as jobs change so the peak costs nothing per request. */
  private readonly active = new Set<string>();
  /** The one pending pump per queue (epoch ms it fires at), so waiting jobs never multiply timers. */
  private readonly pumps = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private nextSeq = 1;
  private closed = false;

  constructor(private readonly deps: JobEngineDeps) {}

  /** Commits a new job and schedules it. */
  submit(spec: JobSpec, bucket: string, region: string): EmulatedJob {
    const job: EmulatedJob = {
      seq: this.nextSeq++,
      jobId: `s${randomBytes(16).toString('hex')}`,
      tag: 'SpeechRecognition',
      state: 'Submitted',
      code: 'Success',
      message: '',
      bucket,
      region,
      queueId: spec.queueId ?? defaultQueueId(bucket),
      creationMs: this.deps.clock(),
      spec,
    };
    this.save(applyQueuePause(job, this.deps.faults().pausedQueues.includes(job.queueId)));
    const counters = this.deps.counters();
    counters.jobsCreated++;
    bump(counters.jobsByInputObject, inputLabel(job));
    if (spec.userData !== undefined) bump(counters.jobsByUserData, spec.userData);
    this.schedulePump(job.queueId, this.deps.timings.queuedMs);
    return this.jobs.get(job.jobId)!;
  }

  /** A job by id. */
  get(jobId: string): EmulatedJob | undefined {
    return this.jobs.get(jobId);
  }

  /** Every job, in creation order. */
  all(): EmulatedJob[] {
    return [...this.jobs.values()];
  }

  /** Cancels a job that has not started; `undefined` when there is no such job. */
  cancel(jobId: string): CancelOutcome | undefined {
    const job = this.jobs.get(jobId);
    if (!job) return undefined;
    const outcome = cancelJob(job, this.deps.clock());
    if (outcome.ok) this.save(outcome.job);
    return outcome;
  }

  /** Holds waiting jobs of paused queues in `Pause` and releases those of resumed queues. */
  applyPausedQueues(paused: readonly string[]): void {
    for (const job of [...this.jobs.values()]) {
      const next = applyQueuePause(job, paused.includes(job.queueId));
      if (next === job) continue;
      this.save(next);
      if (next.state === 'Submitted') this.schedulePump(next.queueId, 0);
    }
  }

  /** Starts and finishes a job at once, ignoring queue time and concurrency (the early-callback fault). */
  async runNow(jobId: string): Promise<EmulatedJob | undefined> {
    const job = this.jobs.get(jobId);
    if (!job || job.state !== 'Submitted') return job;
    this.save(startJob(job, this.deps.clock()));
    return this.finish(jobId, false);
  }

  /** Starts a waiting job at once, ignoring queue time (the start-jobs-at-once fault): CI then refuses to cancel it. */
  startNow(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job || job.state !== 'Submitted') return;
    this.save(startJob(job, this.deps.clock()));
    this.later(this.deps.timings.runningMs, () => void this.finish(jobId, true));
  }

  /** Loads persisted jobs and resumes the unfinished ones. */
  restore(jobs: EmulatedJob[]): void {
    for (const job of jobs) {
      this.jobs.set(job.jobId, job);
      this.nextSeq = Math.max(this.nextSeq, job.seq + 1);
    }
    const now = this.deps.clock();
    for (const job of jobs.filter((j) => j.state === 'Running')) {
      const left = (job.startMs ?? now) + this.deps.timings.runningMs - now;
      this.later(Math.max(0, left), () => this.finishUnlessHeld(job.jobId));
    }
    for (const queueId of new Set(jobs.map((j) => j.queueId))) this.schedulePump(queueId, 0);
  }

  /** Stops every timer; jobs stay where they are. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private save(job: EmulatedJob): void {
    this.jobs.set(job.jobId, job);
    if (['Submitted', 'Pause', 'Running'].includes(job.state)) this.active.add(job.jobId);
    else this.active.delete(job.jobId);
    const counters = this.deps.counters();
    counters.peakActiveJobs = Math.max(counters.peakActiveJobs, this.active.size);
    this.deps.onChange();
  }

  private later(ms: number, run: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private schedulePump(queueId: string, ms: number): void {
    const at = this.deps.clock() + ms;
    const pending = this.pumps.get(queueId);
    if (pending && pending.at <= at) return;
    if (pending) {
      clearTimeout(pending.timer);
      this.timers.delete(pending.timer);
    }
    const timer = this.later(ms, () => {
      this.pumps.delete(queueId);
      this.pump(queueId);
    });
    if (timer) this.pumps.set(queueId, { at, timer });
  }

  private pump(queueId: string): void {
    const now = this.deps.clock();
    const { queuedMs, runningMs } = this.deps.timings;
    for (const jobId of jobsToStart(this.jobs.values(), queueId, this.deps.concurrency, now, queuedMs)) {
      this.save(startJob(this.jobs.get(jobId)!, now));
      this.later(runningMs, () => this.finishUnlessHeld(jobId));
    }
    const wait = msUntilNextEligible(this.jobs.values(), queueId, now, queuedMs);
    if (wait !== undefined) this.schedulePump(queueId, wait + 1);
  }

  /** Finishes a job whose running time is up, or looks again shortly while a `holdJobs` pattern holds it. */
  private finishUnlessHeld(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job && isHeld(this.deps.faults(), inputLabel(job)))
      this.later(HOLD_RECHECK_MS, () => this.finishUnlessHeld(jobId));
    else void this.finish(jobId, true);
  }

  private async finish(jobId: string, thenPump: boolean): Promise<EmulatedJob | undefined> {
    if (this.finishing.has(jobId)) return this.jobs.get(jobId);
    this.finishing.add(jobId);
    try {
      const done = await this.outcome(this.jobs.get(jobId)!);
      if (this.closed) return done;
      this.save(done);
      this.deps.onFinished(done);
      return done;
    } finally {
      this.finishing.delete(jobId);
      const queueId = this.jobs.get(jobId)?.queueId;
      if (thenPump && queueId !== undefined) this.pump(queueId);
    }
  }

  private async outcome(job: EmulatedJob): Promise<EmulatedJob> {
    const forced = forcedFailureFor(this.deps.faults(), inputLabel(job));
    if (forced) {
      bump(this.deps.counters().faultsInjected, 'job:forcedFailure');
      return failJob(job, forced.code, forced.message, this.deps.clock());
    }
    const input = await resolveInput(job, this.deps.objects, this.deps.resolveUrl, this.deps.downloadTimeoutMs);
    if (!('media' in input)) return failJob(job, input.code, input.message, this.deps.clock());
    if (!looksLikeMedia(input.media)) {
      // CI fails a job whose input it cannot decode as audio or video; no source gives the code (a variant).
      const message = `The input ${inputLabel(job)} is not an audio or video file that can be decoded.`;
      return failJob(job, this.deps.undecodableMediaCode, message, this.deps.clock());
    }
    const result = produceResult(job, input, this.deps.objects, this.deps.clock());
    return succeedJob(job, result, this.deps.clock());
  }
}
