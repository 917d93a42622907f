import { parseHttpUrl } from '../../config/reader';
import type { Flags } from '../args';
import type { CliContext } from '../context';
import { doctorExitCode, doctorJson, formatDoctorReport } from '../doctor/report';
import { DEFAULT_CHECK_TIMEOUT_MS, runDoctorChecks } from '../doctor/run-checks';
import { readDoctorSettings } from '../doctor/settings';
import { writeJson } from '../output';

/** A checked `doctor` command line. */
export interface DoctorCommand {
  kind: 'doctor';
  json: boolean;
  /** `--queue`: the CI queue to check instead of CI_QUEUE_ID / the bucket's own. */
  queueId?: string;
  /** `--callback-url`: instead of CALLBACK_PUBLIC_BASE_URL. */
  callbackUrl?: string;
  /** `--receiver-health`: instead of RECEIVER_HEALTH_URL. */
  receiverHealthUrl?: string;
  /** `--timeout` in ms: how long each check may take. */
  timeoutMs: number;
}

function urlFlag(flags: Flags, name: string): string | undefined {
  const raw = flags.string(name);
  if (raw === undefined) return undefined;
  const url = parseHttpUrl(raw);
  if (url === undefined) throw flags.error(`--${name} must be an http(s) URL (got '${raw}').`);
  return url;
}

/** Parses `doctor`'s flags. Pure; throws `UsageError`. */
export function parseDoctor(flags: Flags): DoctorCommand {
  const seconds = flags.integer('timeout', 1, 300);
  return {
    kind: 'doctor',
    json: flags.bool('json'),
    queueId: flags.string('queue'),
    callbackUrl: urlFlag(flags, 'callback-url'),
    receiverHealthUrl: urlFlag(flags, 'receiver-health'),
    timeoutMs: seconds === undefined ? DEFAULT_CHECK_TIMEOUT_MS : seconds * 1000,
  };
}

/**
 * `doctor`: checks everything a first job needs and prints the checklist (or `--json`). Exit 0 when nothing failed
 * (warnings allowed), 1 when a check failed, 2 when a setting is missing or malformed.
 */
export async function runDoctor(cmd: DoctorCommand, ctx: CliContext): Promise<number> {
  const base = ctx.doctorSettings?.() ?? readDoctorSettings({});
  // A flag replaces its variable, and with it any problem found in the variable.
  const replaced = [
    ...(cmd.callbackUrl === undefined ? [] : ['CALLBACK_PUBLIC_BASE_URL']),
    ...(cmd.receiverHealthUrl === undefined ? [] : ['RECEIVER_HEALTH_URL']),
  ];
  const settings = {
    ...base,
    ...(cmd.callbackUrl === undefined ? {} : { callbackUrl: cmd.callbackUrl }),
    ...(cmd.receiverHealthUrl === undefined ? {} : { receiverHealthUrl: cmd.receiverHealthUrl }),
    problems: base.problems.filter((p) => !replaced.some((name) => p.startsWith(`${name} `))),
  };
  const results = await runDoctorChecks(ctx, { settings, queueId: cmd.queueId, timeoutMs: cmd.timeoutMs });
  if (cmd.json) writeJson(ctx.stdout, doctorJson(results));
  else ctx.stdout.write(formatDoctorReport(results));
  return doctorExitCode(results);
}
