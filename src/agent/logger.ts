// The agent's log writer: Nomad's hclog line format on stderr,
//   2024-09-15T14:41:22.123Z [INFO]  agent: started: http=127.0.0.1:4646
// or one JSON object per line with -log-json. Owns nothing but formatting and the level filter.
import type { LogFields, LogLevel, Logger } from '../structs/logger.js';
import { LOG_LEVELS } from '../structs/logger.js';

export interface LogSink {
  write(line: string): void;
}

const rank = (l: LogLevel): number => LOG_LEVELS.indexOf(l);

function formatValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return JSON.stringify(v);
}

export function createLogger(opts: { level: LogLevel; json?: boolean; sink?: LogSink; name?: string; now?: () => Date }): Logger {
  const sink = opts.sink ?? { write: (line: string) => process.stderr.write(line) };
  const now = opts.now ?? (() => new Date());
  const min = rank(opts.level);
  const emit = (level: Exclude<LogLevel, 'OFF'>, name: string, msg: string, fields?: LogFields): void => {
    if (rank(level) < min) return;
    const ts = now().toISOString();
    if (opts.json) {
      const rec: Record<string, unknown> = { '@level': level.toLowerCase(), '@message': msg, '@module': name, '@timestamp': ts };
      for (const [k, v] of Object.entries(fields ?? {})) rec[k] = v instanceof Error ? v.message : v;
      sink.write(`${JSON.stringify(rec)}\n`);
      return;
    }
    const kv = Object.entries(fields ?? {})
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(' ');
    const prefix = name ? `${name}: ` : '';
    sink.write(`${ts} ${`[${level}]`.padEnd(7)} ${prefix}${msg}${kv ? `: ${kv}` : ''}\n`);
  };
  const make = (name: string): Logger => ({
    trace: (m, f) => emit('TRACE', name, m, f),
    debug: (m, f) => emit('DEBUG', name, m, f),
    info: (m, f) => emit('INFO', name, m, f),
    warn: (m, f) => emit('WARN', name, m, f),
    error: (m, f) => emit('ERROR', name, m, f),
    named: (child) => make(name ? `${name}.${child}` : child),
  });
  return make(opts.name ?? '');
}
