import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackTarget, splitUrl } from '../../src/receiver/callback-path';

/** A pass-through HTTP proxy in front of the callback receiver that notes when each workflow's first callback came. */
export interface CallbackTimingProxy {
  /** Base URL to mint callback URLs with (it forwards everything to the receiver unchanged). */
  url: string;
  /** `Date.now()` at which the first callback for each workflow id reached the proxy. */
  firstCallbackAt: Map<string, number>;
  /** Every callback request per workflow id: when it arrived, when the receiver answered it and with what status. */
  attempts: Map<string, CallbackAttempt[]>;
  close(): Promise<void>;
}

/** One callback request seen by the proxy (`Date.now()` times). */
export interface CallbackAttempt {
  at: number;
  answeredAt?: number;
  status?: number;
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse, attempt?: CallbackAttempt): void {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      if (attempt) Object.assign(attempt, { answeredAt: Date.now(), status: answer.statusCode });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

/**
 * Starts the proxy. The arrival time is taken when the request headers arrive, i.e. right after the emulator sent
 * the callback on loopback; the extra hop to the receiver therefore counts against the measured latency.
 */
export async function startCallbackTimingProxy(receiverUrl: string): Promise<CallbackTimingProxy> {
  const target = new URL(receiverUrl);
  const firstCallbackAt = new Map<string, number>();
  const attempts = new Map<string, CallbackAttempt[]>();
  const server = createServer((req, res) => {
    const id = callbackTarget(splitUrl(req.url ?? '').path)?.workflowId;
    const attempt: CallbackAttempt = { at: Date.now() };
    if (id && !firstCallbackAt.has(id)) firstCallbackAt.set(id, attempt.at);
    if (id) attempts.set(id, [...(attempts.get(id) ?? []), attempt]);
    forward(target, req, res, id ? attempt : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    firstCallbackAt,
    attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
