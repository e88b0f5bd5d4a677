// Durations as Nomad sends them: int64 nanoseconds in JSON, Go's time.Duration syntax in text
// ("15s", "1h30m", "500ms", "1.5h"). This module owns parsing and formatting both ways; it never
// rounds a value a user wrote.

/** A duration in nanoseconds, as in Nomad's JSON. */
export type Nanos = number;

export const NS = 1;
export const US = 1_000;
export const MS = 1_000_000;
export const SECOND = 1_000_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

const unitNanos: Record<string, number> = {
  ns: NS,
  us: US,
  'µs': US,
  'μs': US,
  ms: MS,
  s: SECOND,
  m: MINUTE,
  h: HOUR,
};

export class DurationError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`invalid duration ${JSON.stringify(input)}: ${reason}`);
  }
}

/**
 * Parses Go's duration syntax (time.ParseDuration): an optional sign, then one or more
 * decimal numbers each followed by a unit (ns, us, µs, ms, s, m, h). "0" alone is allowed.
 */
export function parseDuration(input: string): Nanos {
  const s = input.trim();
  if (s === '') throw new DurationError(input, 'empty string; expected a number with a unit such as "30s" or "5m"');
  let i = 0;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (s.slice(i) === '0') return 0;
  if (i >= s.length) throw new DurationError(input, 'missing number');
  let total = 0;
  while (i < s.length) {
    const numMatch = /^(\d*)(?:\.(\d*))?/.exec(s.slice(i));
    const whole = numMatch?.[1] ?? '';
    const frac = numMatch?.[2];
    if (whole === '' && (frac === undefined || frac === '')) throw new DurationError(input, `expected a number at position ${i + 1}`);
    i += numMatch?.[0].length ?? 0;
    const unitMatch = /^(ns|us|µs|μs|ms|s|m|h)/.exec(s.slice(i));
    if (!unitMatch) {
      const rest = s.slice(i);
      throw new DurationError(input, rest === '' ? 'missing unit; use one of ns, us, ms, s, m, h (for example "10s")' : `unknown unit ${JSON.stringify(rest.replace(/[\d.].*$/, ''))}; use one of ns, us, ms, s, m, h`);
    }
    const unit = unitNanos[unitMatch[1] ?? ''] ?? 0;
    i += unitMatch[0].length;
    const value = Number(`${whole || '0'}.${frac ?? '0'}`);
    total += Math.round(value * unit);
  }
  if (!Number.isSafeInteger(total)) throw new DurationError(input, 'out of range');
  return sign * total;
}

/** Formats nanoseconds as Go's time.Duration.String() does ("1h30m0s", "15s", "500ms", "0s"). */
export function formatDuration(ns: Nanos): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.abs(ns);
  let out: string;
  if (n < SECOND) {
    if (n < US) out = `${n}ns`;
    else if (n < MS) out = `${trimFrac(n / US)}µs`;
    else out = `${trimFrac(n / MS)}ms`;
  } else {
    const h = Math.floor(n / HOUR);
    n -= h * HOUR;
    const m = Math.floor(n / MINUTE);
    n -= m * MINUTE;
    const sec = trimFrac(n / SECOND);
    out = h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFrac(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
}
