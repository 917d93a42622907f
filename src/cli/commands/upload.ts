import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { cosUri } from '../../cos/ref';
import type { Flags } from '../args';
import { mediaSource, regionFlag } from '../args';
import type { CliContext } from '../context';
import { CLI_NAME, shellQuote } from '../cli-name';
import { contentTypeOf } from '../media-types';
import { formatFields, LiveLine, writeJson } from '../output';
import { PreflightError, tencentClientsFor } from '../preflight';

/** A checked `upload` command line. */
export interface UploadCommand {
  kind: 'upload';
  file: string;
  /** Object key (default: the file's name), in `bucket` (default: CI_BUCKET). */
  key: string;
  bucket?: string;
  region?: string;
  contentType?: string;
  json: boolean;
}

/** Files from this size on show a progress line while uploading. */
const PROGRESS_FROM_BYTES = 1024 * 1024;

/** Parses `upload <file> [key]`; the key may also be a `cos://bucket/key` URI. */
export function parseUpload(positionals: readonly string[], flags: Flags): UploadCommand {
  const [file = '', target] = positionals;
  const { media, bucket } = mediaSource(target ?? basename(file), flags);
  if (!('object' in media)) throw flags.error('The key must be an object key or cos://<name-appid>/<key>, not a URL.');
  if (media.object === '' || media.object.endsWith('/')) throw flags.error(`'${media.object}' is not an object key.`);
  const contentType = flags.string('content-type');
  return {
    kind: 'upload',
    file,
    key: media.object,
    bucket,
    region: regionFlag(flags),
    contentType,
    json: flags.bool('json'),
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `upload`: puts a local file into COS (or the emulator) with its content type, showing progress for large files. */
export async function runUpload(cmd: UploadCommand, ctx: CliContext): Promise<number> {
  const info = await stat(cmd.file).catch(() => undefined);
  if (info === undefined) throw new PreflightError(`No such file: ${cmd.file}. Nothing was uploaded.`);
  if (info.isDirectory()) {
    throw new PreflightError(
      `${cmd.file} is a directory; upload takes one file (upload each file, then \`batch <prefix>\` transcribes a folder). Nothing was uploaded.`,
    );
  }
  if (!info.isFile()) throw new PreflightError(`${cmd.file} is not a regular file. Nothing was uploaded.`);
  const clients = tencentClientsFor(ctx, 'upload writes to COS');
  if (clients === undefined) return 2;
  const ref = { Bucket: cmd.bucket ?? clients.ci.bucket, Region: cmd.region ?? clients.ci.region, Key: cmd.key };
  const contentType = cmd.contentType ?? contentTypeOf(cmd.file);
  const line = info.size >= PROGRESS_FROM_BYTES ? new LiveLine(ctx.stderr) : undefined;
  // Off a terminal every update is a new line: report in tenths so a log stays short.
  const step = ctx.stderr.isTTY ? 100 : 10;
  await clients.objects.putFile(ref, cmd.file, contentType, {
    onProgress: (sent, total) => {
      const share = Math.floor((step * sent) / Math.max(1, total)) / step;
      line?.update(`Uploading ${basename(cmd.file)}  ${megabytes(share * total)} of ${megabytes(total)}`);
    },
  });
  line?.finish();
  const uri = cosUri(ref);
  if (cmd.json)
    writeJson(ctx.stdout, { uri, bucket: ref.Bucket, region: ref.Region, key: ref.Key, size: info.size, contentType });
  else {
    ctx.stdout.write(
      formatFields([
        ['Uploaded', uri],
        ['Size', `${info.size} bytes`],
        ['Content type', contentType],
      ]),
    );
    const target = cmd.bucket === undefined ? cmd.key : uri;
    ctx.stderr.write(`Next: ${CLI_NAME} transcribe ${shellQuote(target)} --wait\n`);
  }
  return 0;
}
