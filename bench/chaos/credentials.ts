import { randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { IssuedCredentials, RunningEmulator } from '../../src/emulator';
import { progress } from '../lib/runtime';

/** Temporary tokens die this long after issue, whatever their ExpiredTime says (the emulator's `tokenLifetimeMs`). */
export const CHAOS_TOKEN_LIFETIME_MS = 6_000;
/** The platform writes a fresh token this often (shorter than the lifetime, as a real rotation agent would). */
const ROTATE_EVERY_MS = 4_000;
/** Every this many rotations CI revokes every token first, so requests in flight meet `ExpiredToken` for real. */
const REVOKE_EVERY = 4;

/** Writes `credentials` as the worker's token file: to a temporary name, then renamed over it (never half-written). */
function writeTokenFile(path: string, credentials: IssuedCredentials): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(credentials));
  renameSync(`${path}.tmp`, path);
}

/**
 * The chaos worker signs with STS keys from a token file that this "platform" rewrites every few seconds, while the
 * emulator expires tokens early and now and then revokes all of them. Every issued key and token is kept so the
 * history scan can look for them.
 */
export class TokenRotator {
  readonly path = join(mkdtempSync(join(tmpdir(), 'chaos-sts-')), 'credentials.json');
  /** The keys the worker starts with; give them to the emulator as `temporaryCredentials`. */
  readonly first: IssuedCredentials;
  private readonly issued: IssuedCredentials[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  revocations = 0;
  rotations = 0;

  constructor() {
    const now = Math.floor(Date.now() / 1000);
    this.first = {
      TmpSecretId: `AKID${randomBytes(12).toString('hex')}`,
      TmpSecretKey: randomBytes(24).toString('base64url'),
      Token: randomBytes(48).toString('base64url'),
      StartTime: now,
      ExpiredTime: now + 7200,
    };
    this.issued.push(this.first);
    writeTokenFile(this.path, this.first);
  }

  /** Starts rotating through `emulator`'s STS. */
  start(emulator: RunningEmulator): void {
    emulator.setFaults({ tokenLifetimeMs: CHAOS_TOKEN_LIFETIME_MS });
    this.timer = setInterval(() => this.tick(emulator), ROTATE_EVERY_MS);
  }

  private tick(emulator: RunningEmulator): void {
    if (++this.ticks % REVOKE_EVERY === 0) {
      emulator.setFaults({ expireTokensIssuedBefore: Date.now() });
      this.revocations++;
    }
    const next = emulator.issueCredentials(7200);
    this.issued.push(next);
    writeTokenFile(this.path, next);
    this.rotations++;
  }

  /** Stops rotating and lifts the expiry faults (verification then signs with the last token). */
  stop(emulator: RunningEmulator): void {
    clearInterval(this.timer);
    emulator.setFaults({ tokenLifetimeMs: 0, expireTokensIssuedBefore: 0 });
    progress(`chaos: ${this.rotations} token rotations, ${this.revocations} revocations`);
  }

  /** Every secret key and token issued, named for the history scan. */
  secrets(): Record<string, string> {
    return Object.fromEntries(
      this.issued.flatMap((c, i) => [
        [`tmpSecretKey#${i}`, c.TmpSecretKey],
        [`token#${i}`, c.Token],
      ]),
    );
  }

  /** Removes the token file. */
  remove(): void {
    rmSync(dirname(this.path), { recursive: true, force: true });
  }
}
