/** Structured fields attached to a log line; never put tokens, secrets or raw query strings here. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** The few log calls the receiver makes. */
export interface ReceiverLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Writes one JSON object per line to stderr; JSON encoding keeps attacker-chosen text from forging lines. */
export function createJsonLogger(
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): ReceiverLogger {
  const log = (level: string, message: string, fields?: LogFields): void =>
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  return {
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: ReceiverLogger = { info() {}, warn() {}, error() {} };
