import COS from 'cos-nodejs-sdk-v5';
import type { CredentialProvider, TencentCredentials } from './credentials';

/**
 * What error classification needs to know about the credentials behind a request: whether other keys can come
 * (then an expired-token answer is transient) and how to drop the refused ones.
 */
export interface CredentialHooks {
  readonly refreshable: boolean;
  /** CI/COS refused the keys as expired or invalid: the next request fetches new ones. */
  rejected(): void;
  /** SecretId of the keys the latest request was signed with (never logged), so a refresh can tell new keys came. */
  readonly lastKeyId?: string;
}

/** How many generations of keys stay redacted from error messages after they were replaced. */
const REMEMBERED_SECRETS = 12;

/**
 * Signs every SDK request with the keys a {@link CredentialProvider} gives at that moment, through the SDK's
 * `getAuthorization` hook.
 *
 * The hook could hand the SDK `{TmpSecretId, TmpSecretKey, SecurityToken, ExpiredTime}` and let it sign, but the SDK
 * then caches those keys in `_StsCache` and reuses them until fewer than 60 s of `ExpiredTime` remain, whatever
 * happens: a token CI has already refused (revoked, or rotated early by the platform) would be sent again until then.
 * So the hook signs itself (`COS.getAuthorization`, the SDK's own sha1 signer, over the method, path, query and
 * headers the SDK passes in, `Host` included) and returns `{Authorization, SecurityToken}`, which the SDK does not
 * cache; the provider alone decides when keys are renewed.
 */
export class SigningSession implements CredentialHooks {
  /** Live list of every key and token seen (newest last): error messages blank them out. */
  readonly secrets: string[] = [];
  readonly refreshable: boolean;
  lastKeyId: string | undefined;

  constructor(private readonly provider: CredentialProvider) {
    this.refreshable = provider.refreshable;
  }

  rejected(): void {
    this.provider.invalidate();
  }

  /** The SDK options that make it sign through this session. */
  cosOptions(): Pick<COS.COSOptions, 'getAuthorization'> {
    return {
      getAuthorization: (options, callback) => {
        this.provider.get().then(
          (credentials) => callback(this.sign(options, credentials)),
          (err: unknown) => {
            // The hook has no error channel: an incomplete answer makes the SDK fail the request with
            // 'getAuthorization callback params missing "TmpSecretId"', which `toCiError` reports as
            // `CredentialsUnavailable` (retryable). Say why once here, without any secret.
            console.warn(`tencent credentials: ${err instanceof Error ? err.message : String(err)}`);
            callback({} as COS.Credentials);
          },
        );
      },
    };
  }

  private sign(options: COS.GetAuthorizationOptions, c: TencentCredentials): COS.Credentials {
    this.remember(c);
    this.lastKeyId = c.secretId;
    const Authorization = COS.getAuthorization({
      SecretId: c.secretId,
      SecretKey: c.secretKey,
      Method: options.Method,
      Pathname: options.Pathname,
      Query: options.Query,
      Headers: options.Headers,
      SystemClockOffset: options.SystemClockOffset,
    });
    // Typed as Credentials by the SDK; at run time an object with `Authorization` is used as is (base.js).
    return { Authorization, SecurityToken: c.securityToken ?? '' } as COS.Credentials;
  }

  private remember(c: TencentCredentials): void {
    for (const value of [c.secretId, c.secretKey, c.securityToken]) {
      if (value && !this.secrets.includes(value)) this.secrets.push(value);
    }
    if (this.secrets.length > REMEMBERED_SECRETS * 3)
      this.secrets.splice(0, this.secrets.length - REMEMBERED_SECRETS * 3);
  }
}
