import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import COS from 'cos-nodejs-sdk-v5';
import { staticCredentials } from './credentials';
import { SigningSession } from './signing';
import { SubmitBody } from './submit-body';

/** What the self-check found: `sends` HTTP requests for one submit the server answered 500 to. */
export type SelfCheckOutcome = { sends: number } | { inconclusive: string };

/**
 * Checks, against a throw-away local HTTP server that answers every request `500 InternalError`, that the installed
 * cos-nodejs-sdk-v5 (and its `cos-request`) sends a submit's stream body once and does not retry it. Submit-once
 * rests on that: a first attempt answered after one send skips its duplicate sweep. The versions are `^`-ranged for
 * package users, so the check runs in the process that submits, once, instead of trusting a reading of one version's
 * source. A server that cannot listen makes it inconclusive (nothing learnt), not failed.
 */
export async function checkSdkSendsSubmitOnce(): Promise<SelfCheckOutcome> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'Content-Type': 'application/xml' });
      res.end('<Response><Code>InternalError</Code><Message>self-check</Message></Response>');
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
  } catch (err) {
    return { inconclusive: `no local server for the SDK self-check: ${(err as Error).message}` };
  }
  try {
    const { port } = server.address() as AddressInfo;
    const cos = new COS({
      // Signed as every request is, with throw-away keys: the server answers 500 whatever it receives.
      ...new SigningSession(staticCredentials({ secretId: 'AKIDselfcheck', secretKey: 'selfcheck' })).cosOptions(),
      Proxy: `http://127.0.0.1:${port}`,
      Protocol: 'http:',
      AutoSwitchHost: false,
      Timeout: 10_000,
    });
    let counted = 0;
    const bytes = Buffer.from('<Request><Tag>SpeechRecognition</Tag></Request>');
    await new Promise<void>((resolve) => {
      cos.request(
        {
          Method: 'POST',
          Url: 'http://selfcheck-1250000000.ci.ap-guangzhou.myqcloud.com/asr_jobs',
          Key: 'asr_jobs',
          Body: new SubmitBody(bytes, () => counted++),
          Headers: { 'Content-Type': 'application/xml', 'Content-Length': String(bytes.length) },
        },
        () => resolve(),
      );
    });
    return { sends: Math.max(requests, counted) };
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

let once: Promise<SelfCheckOutcome> | undefined;

/** {@link checkSdkSendsSubmitOnce}, run once per process. */
export function sdkSelfCheck(): Promise<SelfCheckOutcome> {
  once ??= checkSdkSendsSubmitOnce().catch((err: unknown) => ({ inconclusive: (err as Error).message }));
  return once;
}
