// The logging contract every layer writes to. The agent supplies the implementation (Nomad's
// hclog-style lines on stderr); libraries and tests use nullLogger or a recording logger.

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines are prefixed with `name` (nested with dots: "client.alloc_runner"). */
  named(name: string): Logger;
}

export const nullLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  named: () => nullLogger,
};

export function parseLogLevel(s: string): LogLevel | undefined {
  const up = s.trim().toUpperCase();
  return (LOG_LEVELS as readonly string[]).includes(up) ? (up as LogLevel) : undefined;
}
