import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { TencentCiAsrError } from './errors';

/**
 * Thrown when a listener's port is taken. Process entries print its message as one line and exit 2: it is the user's
 * to fix (stop the other process or pick another port), so a stack trace would only hide the port.
 */
export class PortInUseError extends TencentCiAsrError {
  override readonly name = 'PortInUseError';

  constructor(
    /** What wanted the port, e.g. `receiver admin listener`. */
    readonly listener: string,
    readonly host: string,
    readonly port: number,
    /** The flag or variable that moves the listener, when the caller knows it. */
    readonly setting?: string,
  ) {
    super(
      `port ${port} on ${host} (${listener}) is in use: stop what holds it, or choose another port${setting ? ` with ${setting}` : ''}`,
    );
  }

  /** The same error, naming the setting a process entry reads the port from (itself when there is none). */
  withSetting(setting: string | undefined): PortInUseError {
    return setting ? new PortInUseError(this.listener, this.host, this.port, setting) : this;
  }
}

/** Starts `server` listening; a taken port rejects with {@link PortInUseError}, any other failure as it came. */
export async function listenOn(server: Server, port: number, host: string, listener: string): Promise<AddressInfo> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(listener, host, port);
    throw err;
  }
  return server.address() as AddressInfo;
}

/**
 * A port clash reported by a listener this package does not open itself (the Temporal runtime's Prometheus exporter
 * says "Address already in use"), as a {@link PortInUseError}; undefined for any other error.
 */
export function portClashOf(err: unknown, bindAddress: string, listener: string): PortInUseError | undefined {
  if (!(err instanceof Error) || !/address already in use|EADDRINUSE/i.test(err.message)) return undefined;
  const colon = bindAddress.lastIndexOf(':');
  return new PortInUseError(listener, bindAddress.slice(0, colon), Number(bindAddress.slice(colon + 1)));
}
