import { randomBytes } from 'node:crypto';

/** Temporary credentials as STS hands them out (and as the client's token file holds them). */
export interface IssuedCredentials {
  TmpSecretId: string;
  TmpSecretKey: string;
  Token: string;
  /** Epoch seconds. */
  StartTime: number;
  /** Epoch seconds; requests after it are refused as expired. */
  ExpiredTime: number;
}

/** A key a request may be signed with: the permanent pair, or a temporary one with its token. */
export interface KnownKey {
  secretKey: string;
  /** Present for temporary keys: the token the request must carry and when it stops working (epoch ms). */
  token?: { value: string; expiresMs: number; issuedMs: number };
}

/** When tokens stop working besides their `ExpiredTime` (run-time faults). */
export interface TokenExpiryFaults {
  /** Tokens issued before this epoch ms count as expired; 0 = off. */
  expireTokensIssuedBefore: number;
  /** Tokens older than this many ms count as expired; 0 = off. */
  tokenLifetimeMs: number;
}

/** Longest lifetime STS grants (36 h for a sub-account, Tencent's documented maximum). */
export const MAX_TOKEN_SECONDS = 129_600;

/**
 * The emulator's own STS: the temporary keys it issued (at start, or through `POST /_emulator/sts`), which a request
 * signed with a temporary SecretId must match, token included.
 */
export class TokenStore {
  private readonly keys = new Map<string, { secretKey: string; token: string; issuedMs: number; expiresMs: number }>();

  constructor(
    private readonly permanent: { secretId: string; secretKey: string },
    private readonly clock: () => number,
  ) {}

  /** Registers credentials issued elsewhere (the emulator's options). */
  add(credentials: IssuedCredentials, issuedMs = credentials.StartTime * 1000): void {
    this.keys.set(credentials.TmpSecretId, {
      secretKey: credentials.TmpSecretKey,
      token: credentials.Token,
      issuedMs,
      expiresMs: credentials.ExpiredTime * 1000,
    });
  }

  /** Issues a new temporary key valid for `durationSeconds`, in STS's shape. */
  issue(durationSeconds: number): IssuedCredentials {
    const now = this.clock();
    const start = Math.floor(now / 1000);
    const issued: IssuedCredentials = {
      TmpSecretId: `AKID${randomBytes(16).toString('hex')}`,
      TmpSecretKey: randomBytes(24).toString('base64url'),
      Token: randomBytes(48).toString('base64url'),
      StartTime: start,
      ExpiredTime: start + durationSeconds,
    };
    // The exact time, so expiring "every token issued before now" spares one issued later in the same second.
    this.add(issued, now);
    return issued;
  }

  /** The key named by `q-ak`, with the expiry the faults leave it; `undefined` when unknown. */
  lookup(secretId: string, faults: TokenExpiryFaults): KnownKey | undefined {
    if (secretId === this.permanent.secretId) return { secretKey: this.permanent.secretKey };
    const key = this.keys.get(secretId);
    if (!key) return undefined;
    let expiresMs = key.expiresMs;
    if (faults.tokenLifetimeMs > 0) expiresMs = Math.min(expiresMs, key.issuedMs + faults.tokenLifetimeMs);
    if (key.issuedMs < faults.expireTokensIssuedBefore)
      expiresMs = Math.min(expiresMs, faults.expireTokensIssuedBefore);
    return { secretKey: key.secretKey, token: { value: key.token, expiresMs, issuedMs: key.issuedMs } };
  }
}
