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
  close(): Promise<void>;
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
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
  const server = createServer((req, res) => {
    const id = callbackTarget(splitUrl(req.url ?? '').path)?.workflowId;
    if (id && !firstCallbackAt.has(id)) firstCallbackAt.set(id, Date.now());
    forward(target, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    firstCallbackAt,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
