import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EmulatedJob } from './job-model';
import type { StoredObject } from './object-store';
import { TencentCiAsrError } from '../shared/errors';

/** The JSON document kept in `stateFile`. */
export interface PersistedState {
  version: 1;
  jobs: EmulatedJob[];
  objects: Array<{ bucket: string; key: string; object: Omit<StoredObject, 'body'> & { body: string } }>;
}

/** Thrown by {@link loadState} when the state file exists but cannot be read as emulator state. */
export class StateFileError extends TencentCiAsrError {
  override readonly name = 'StateFileError';
}

/** Reads the state file; `undefined` when it does not exist yet. */
export function loadState(path: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(`Cannot read emulator state file ${path}`, { cause: err });
  }
  try {
    const state = JSON.parse(text) as PersistedState;
    if (state.version !== 1 || !Array.isArray(state.jobs) || !Array.isArray(state.objects)) {
      throw new Error('unexpected shape');
    }
    return state;
  } catch (err) {
    throw new StateFileError(`Emulator state file ${path} is not valid state`, { cause: err });
  }
}

/** Writes the state file atomically (temporary file, then rename). */
export function saveState(path: string, state: PersistedState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, path);
}

/** Encodes objects for the state file (bodies as base64). */
export function encodeObjects(
  entries: Array<{ bucket: string; key: string; object: StoredObject }>,
): PersistedState['objects'] {
  return entries.map(({ bucket, key, object }) => ({
    bucket,
    key,
    object: { ...object, body: object.body.toString('base64') },
  }));
}

/** Decodes one persisted object. */
export function decodeObject(entry: PersistedState['objects'][number]['object']): StoredObject {
  return { ...entry, body: Buffer.from(entry.body, 'base64') };
}

/** Coalesces many change notifications into one write after `delayMs`; `flush` writes at once if pending. */
export class DebouncedWriter {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: () => void,
    private readonly delayMs: number,
  ) {}

  /** Schedules a write unless one is pending. */
  touch(): void {
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Writes now when a write is pending. */
  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.write();
  }
}
