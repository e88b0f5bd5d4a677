// Time functions, per cty stdlib: formatdate (cty's spec letters), timeadd (Go durations) and
// timestamp. Timestamps are RFC 3339; a parsed time keeps its UTC offset, so formatdate and
// timeadd render in the offset they were given, and whole seconds only (as Go's time.RFC3339).
// timestamp() reads the clock only through ctx.now, so evaluation stays deterministic in tests.
import type { Value } from '../hcl/value.js';
import { argError, stringArg } from './args.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';

/** A moment as nanoseconds since the epoch plus the offset (in minutes) it was written with. */
interface Moment {
  nanos: bigint;
  offsetMinutes: number;
}

const NS_PER_MS = 1_000_000n;
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses a strict RFC 3339 timestamp, or throws a message saying which part is wrong. */
export function parseTimestamp(s: string): Moment {
  const m = rfc3339.exec(s);
  if (m === null) {
    const hint = /^\d{4}-\d{2}-\d{2}$/.test(s) ? ': missing required time introducer \'T\'' : '';
    throw new FunctionError(`${JSON.stringify(s)} is not a valid RFC 3339 timestamp${hint} (expected a form like "2006-01-02T15:04:05Z")`);
  }
  const [, y, mo, d, h, mi, sec, frac = '', zone = 'Z'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number) as [number, number, number, number, number, number];
  const bad = (what: string): never => {
    throw new FunctionError(`${JSON.stringify(s)} is not a valid RFC 3339 timestamp: ${what} out of range`);
  };
  if (month < 1 || month > 12) bad('month');
  if (day < 1 || day > daysIn(year, month)) bad('day of month');
  if (hour > 23) bad('hour');
  if (minute > 59) bad('minute');
  if (second > 59) bad('second');
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) bad('UTC offset');
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, 0);
  const ms = wall.getTime();
  const fracNanos = BigInt((frac.slice(1) + '000000000').slice(0, 9) || '0');
  return { nanos: BigInt(ms - offsetMinutes * 60_000) * NS_PER_MS + fracNanos, offsetMinutes };
}

function daysIn(year: number, month: number): number {
  return [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
}

/** The wall-clock fields of a moment in its own offset. */
function fields(t: Moment): Date {
  const ms = Number((t.nanos - (((t.nanos % NS_PER_MS) + NS_PER_MS) % NS_PER_MS)) / NS_PER_MS);
  return new Date(ms + t.offsetMinutes * 60_000);
}

function offsetText(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${colon ? ':' : ''}${mm}`;
}

/** Go's time.RFC3339 rendering: whole seconds, "Z" for a zero offset. */
export function formatRfc3339(t: Moment): string {
  const f = fields(t);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const date = `${pad(f.getUTCFullYear(), 4)}-${pad(f.getUTCMonth() + 1)}-${pad(f.getUTCDate())}`;
  const time = `${pad(f.getUTCHours())}:${pad(f.getUTCMinutes())}:${pad(f.getUTCSeconds())}`;
  return `${date}T${time}${t.offsetMinutes === 0 ? 'Z' : offsetText(t.offsetMinutes, true)}`;
}

/** Splits a formatdate spec into quoted literals, runs of one letter, and other text. */
function tokenize(spec: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < spec.length) {
    const c = spec[i] ?? '';
    let j = i + 1;
    if (c === "'") {
      if (spec[j] === "'") j++;
      else {
        while (j < spec.length && !(spec[j] === "'" && spec[j + 1] !== "'")) j += spec[j] === "'" ? 2 : 1;
        j++;
      }
    } else if (/[A-Za-z]/.test(c)) while (spec[j] === c) j++;
    else while (j < spec.length && spec[j] !== "'" && !/[A-Za-z]/.test(spec[j] ?? '')) j++;
    tokens.push(spec.slice(i, j));
    i = j;
  }
  return tokens;
}

export function formatDate(spec: string, t: Moment): string {
  const f = fields(t);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const invalid = (tok: string, rule: string): never => {
    throw argError(0, 'format', `invalid date format verb ${JSON.stringify(tok)}: ${rule}`);
  };
  let out = '';
  for (const tok of tokenize(spec)) {
    const c = tok[0] ?? '';
    const n = tok.length;
    if (c === "'") {
      if (n === 1 || !tok.endsWith("'")) throw argError(0, 'format', "unterminated literal '");
      out += n === 2 ? "'" : tok.slice(1, -1).replaceAll("''", "'");
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += tok;
      continue;
    }
    const hour = f.getUTCHours();
    switch (c) {
      case 'Y':
        if (n === 2) out += pad(f.getUTCFullYear() % 100);
        else if (n === 4) out += pad(f.getUTCFullYear(), 4);
        else invalid(tok, 'year must either be "YY" or "YYYY"');
        break;
      case 'M': {
        const m = f.getUTCMonth();
        const name = months[m] ?? '';
        out += n === 1 ? String(m + 1) : n === 2 ? pad(m + 1) : n === 3 ? name.slice(0, 3) : n === 4 ? name : invalid(tok, 'month must be "M", "MM", "MMM", or "MMMM"');
        break;
      }
      case 'D':
        out += n === 1 ? String(f.getUTCDate()) : n === 2 ? pad(f.getUTCDate()) : invalid(tok, 'day of month must either be "D" or "DD"');
        break;
      case 'E': {
        const name = weekdays[f.getUTCDay()] ?? '';
        out += n === 3 ? name.slice(0, 3) : n === 4 ? name : invalid(tok, 'day of week must either be "EEE" or "EEEE"');
        break;
      }
      case 'h':
        out += n === 1 ? String(hour) : n === 2 ? pad(hour) : invalid(tok, '24-hour must either be "h" or "hh"');
        break;
      case 'H': {
        const h12 = hour % 12 === 0 ? 12 : hour % 12;
        out += n === 1 ? String(h12) : n === 2 ? pad(h12) : invalid(tok, '12-hour must either be "H" or "HH"');
        break;
      }
      case 'A':
      case 'a':
        if (n !== 2) invalid(tok, `must be "${c}${c}"`);
        out += c === 'A' ? (hour < 12 ? 'AM' : 'PM') : hour < 12 ? 'am' : 'pm';
        break;
      case 'm':
        out += n === 1 ? String(f.getUTCMinutes()) : n === 2 ? pad(f.getUTCMinutes()) : invalid(tok, 'minute must either be "m" or "mm"');
        break;
      case 's':
        out += n === 1 ? String(f.getUTCSeconds()) : n === 2 ? pad(f.getUTCSeconds()) : invalid(tok, 'second must either be "s" or "ss"');
        break;
      case 'Z':
        if (n === 1) out += t.offsetMinutes === 0 ? 'Z' : offsetText(t.offsetMinutes, true);
        else if (n === 3) out += t.offsetMinutes === 0 ? 'UTC' : offsetText(t.offsetMinutes, false);
        else if (n === 4) out += offsetText(t.offsetMinutes, false);
        else if (n === 5) out += offsetText(t.offsetMinutes, true);
        else invalid(tok, 'timezone must be Z, ZZZZ, or ZZZZZ');
        break;
      default:
        invalid(tok, 'unknown letter; quote literal text with single quotes');
    }
  }
  return out;
}

const durationUnits: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: NS_PER_MS, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** Parses a Go duration ("1h30m", "-1.5h", "300ms") into nanoseconds. */
export function parseDuration(s: string): bigint {
  const bad = (): never => {
    throw new FunctionError(`${JSON.stringify(s)} is not a valid duration (expected a form like "1h30m", "-10s" or "300ms"; units ns, us, ms, s, m, h)`);
  };
  const m = /^([+-]?)(.*)$/s.exec(s) ?? bad();
  const body = m[2] ?? '';
  if (body === '0') return 0n;
  if (body === '') bad();
  let total = 0n;
  const part = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;
  let at = 0;
  while (at < body.length) {
    part.lastIndex = at;
    const p = part.exec(body);
    if (p === null || (p[1] === '' && (p[2] ?? '') === '')) return bad();
    const unit = durationUnits[p[3] ?? ''] ?? bad();
    const frac = p[2] ?? '';
    total += BigInt(p[1] || '0') * unit + (frac === '' ? 0n : (BigInt(frac) * unit) / 10n ** BigInt(frac.length));
    at = part.lastIndex;
  }
  return m[1] === '-' ? -total : total;
}

export const datetimeFunctions: Record<string, HclFunction> = {
  formatdate: {
    params: ['format', 'time'],
    impl(args) {
      const spec = stringArg(args, 0, 'format');
      const time = stringArg(args, 1, 'time');
      let t: Moment;
      try {
        t = parseTimestamp(time);
      } catch (err) {
        throw argError(1, 'time', err instanceof Error ? err.message : String(err));
      }
      return formatDate(spec, t);
    },
  },
  timeadd: {
    params: ['timestamp', 'duration'],
    impl(args) {
      const ts = stringArg(args, 0, 'timestamp');
      const dur = stringArg(args, 1, 'duration');
      const wrap = <T>(i: number, name: string, fn: () => T): T => {
        try {
          return fn();
        } catch (err) {
          throw argError(i, name, err instanceof Error ? err.message : String(err));
        }
      };
      const t = wrap(0, 'timestamp', () => parseTimestamp(ts));
      const d = wrap(1, 'duration', () => parseDuration(dur));
      return formatRfc3339({ nanos: t.nanos + d, offsetMinutes: t.offsetMinutes });
    },
  },
  timestamp: {
    params: [],
    impl: (_args: Value[], ctx) => formatRfc3339({ nanos: BigInt(Math.floor(ctx.now().getTime())) * NS_PER_MS, offsetMinutes: 0 }),
  },
};
