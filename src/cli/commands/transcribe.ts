import type { TranscriptionResult } from '../../contract';
import type { TencentClients } from '../../tencent/clients';
import { parseResultText, parseSrt, renderPlainText, renderSrt, renderVtt, segmentsFromResult } from '../../ci/result';
import type { TranscriptSegment } from '../../ci/result';
import { TranscriptParseError } from '../../ci/result';
import { startTranscription } from '../../client/transcription';
import type { TranscribeMediaInput } from '../../workflows/transcribe-media/input';
import { resolveTranscribeMediaInput } from '../../workflows/transcribe-media/input';
import type { Flags } from '../args';
import { itemOptions, mediaSource, problemsError, recognitionFrom, regionFlag } from '../args';
import type { CliContext } from '../context';
import { formatFields, formatStatus, startAndFollow, writeJson } from '../output';
import { checkMediaExists, tencentClientsFor } from '../preflight';

/** How `transcribe --format` prints the transcript. */
export type TranscriptFormat = 'text' | 'srt' | 'vtt';

/** A checked `transcribe` command line. */
export interface TranscribeCommand {
  kind: 'transcribe';
  input: TranscribeMediaInput;
  workflowId?: string;
  wait: boolean;
  format?: TranscriptFormat;
  json: boolean;
}

/** Parses `transcribe <target>`'s flags into a checked input (the same checks the client runs). */
export function parseTranscribe(target: string, flags: Flags): TranscribeCommand {
  const { media, bucket } = mediaSource(target, flags);
  const output = flags.string('output');
  const region = regionFlag(flags);
  const input: TranscribeMediaInput = {
    media,
    recognition: recognitionFrom(flags),
    ...(bucket !== undefined ? { bucket } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(output !== undefined ? { output: { key: output } } : {}),
    ...itemOptions(flags),
  };
  const resolution = resolveTranscribeMediaInput(input);
  if (!resolution.ok) throw problemsError(flags, 'transcription settings', resolution.problems);
  const format = flags.choice('format', ['text', 'srt', 'vtt'] as const);
  // Printing the transcript needs the result, so --format implies --wait.
  const wait = flags.bool('wait') || format !== undefined;
  return { kind: 'transcribe', input, workflowId: flags.string('workflow-id'), wait, format, json: flags.bool('json') };
}

/**
 * `transcribe`: checks what it can first (Tencent settings for --format, the media object's existence), starts
 * `transcribeMedia`; with `--wait`, shows live status on stderr, then prints where the transcript is and, with
 * `--format`, the transcript itself. With `--format` (and no `--json`), stdout is exactly the transcript file and the
 * summary goes to stderr. Returns the exit code (a failed workflow throws).
 */
export async function runTranscribe(cmd: TranscribeCommand, ctx: CliContext): Promise<number> {
  // Printing the transcript reads it from COS: without the settings to do so, refuse before the job is billed.
  const clients = tencentClientsFor(
    ctx,
    cmd.format === undefined ? undefined : '--format reads the transcript from COS',
  );
  const { media } = cmd.input;
  if ('object' in media && media.object !== undefined) {
    await checkMediaExists(ctx, { bucket: cmd.input.bucket, region: cmd.input.region, keys: [media.object] }, clients);
  }
  const options = { taskQueue: ctx.taskQueue, workflowId: cmd.workflowId };
  const { started, result } = await startAndFollow(
    ctx,
    cmd,
    (client) => startTranscription(client, cmd.input, options),
    { probe: (handle) => handle.status(), render: formatStatus },
  );
  if (result === undefined) return 0;
  const transcript =
    cmd.format === undefined || clients === undefined
      ? undefined
      : renderTranscript(await loadTranscript(result, clients), cmd.format);
  if (cmd.json) {
    writeJson(ctx.stdout, { ...started, result, ...(transcript !== undefined ? { transcript } : {}) });
    return 0;
  }
  const summary = formatFields([
    ['Transcript', result.resultObject.uri],
    ['Manifest', result.manifestObject.uri],
    ['CI job', result.jobId],
    ['Audio', `${result.audioTimeSeconds} s, ${result.segments} segments`],
    ['Completed by', result.completedBy],
  ]);
  if (transcript === undefined) ctx.stdout.write(summary);
  else {
    ctx.stderr.write(summary);
    ctx.stdout.write(transcript);
  }
  return 0;
}

const SRT_START = /^\s*(?:\d+\s*\r?\n)?\d{2}:\d{2}:\d{2}[,.]\d{3}\s+-->/;

/**
 * Reads a finished transcription's segments: from the transcript object in COS (SubRip when CI wrote `srt`, else
 * CI's `[start,end] text` lines), or, when that object is not in a format we can parse (its content is not documented
 * by Tencent), from the job's own `Result`/`ResultDetail`.
 */
async function loadTranscript(result: TranscriptionResult, clients: TencentClients): Promise<TranscriptSegment[]> {
  const { bucket, region, key } = result.resultObject;
  const text = (await clients.objects.get({ Bucket: bucket, Region: region, Key: key })).toString('utf8');
  try {
    return key.endsWith('.srt') || SRT_START.test(text) ? parseSrt(text) : parseResultText(text);
  } catch (err) {
    if (!(err instanceof TranscriptParseError)) throw err;
  }
  // Jobs normally run in the output bucket's CI; the job id is all the lookup needs.
  const { jobs } = await clients.ciFor({ bucket, region }).get([result.jobId]);
  const recognition = jobs[0]?.Operation.SpeechRecognitionResult;
  if (recognition === undefined) throw new TranscriptParseError(`no readable transcript in ${result.resultObject.uri}`);
  return segmentsFromResult(recognition);
}

function renderTranscript(segments: readonly TranscriptSegment[], format: TranscriptFormat): string {
  if (format === 'srt') return renderSrt(segments);
  if (format === 'vtt') return renderVtt(segments);
  return renderPlainText(segments, { speakers: segments.some((s) => (s.speakerId ?? 0) > 0) });
}
