// Cron expressions with Nomad's semantics (hashicorp/cronexpr, a fork of gorhill/cronexpr), shared
// by the server's periodic dispatcher, jobspec validation and the CLI ("Approximate next launch").
//
// The grammar is parsed here, field by field, with cronexpr's rules and error messages:
//   - 5 fields: minute hour dom month dow (second 0, any year)
//   - 6 fields: minute hour dom month dow YEAR — not seconds-first as in most JS libraries
//   - 7 fields: second minute hour dom month dow year; fields past the 7th are ignored
//   - @yearly @annually @monthly @weekly @daily @hourly; `*` `?` `/` `,` `-`, `L`, `W`, `LW`,
//     `<dow>L`, `<dow>#<1-5>`, month and day names (short and long, any case), day-of-week 0–7
//     (7 is Sunday), years 1970–2099.
// The parsed sets are handed to `croner` as explicit lists to find the next time in an IANA zone.
// When both day-of-month and day-of-week are restricted a day matching either fires (Vixie cron).
//
// Deliberate differences from cronexpr, checked by test/oracle/cron: a range whose start is past
// its end ("50-10") is an error here (cronexpr accepts it and fails at launch time); at DST
// transitions we follow croner (a fixed time inside a spring-forward gap runs at the first valid
// instant after it; a time repeated at fall-back runs once). Pure: no clock, no I/O.
import { Cron } from 'croner';

export class CronParseError extends Error {}

interface Field {
  name: string;
  min: number;
  max: number;
  /** A single value as cronexpr's regular expressions accept it (leading zero allowed). */
  value: RegExp;
  atoi(s: string): number;
}

const num = (s: string): number => Number.parseInt(s, 10);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTHS_LONG = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAYS_LONG = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const SECOND: Field = { name: 'second', min: 0, max: 59, value: /^(0?[0-9]|[1-5][0-9])$/, atoi: num };
const MINUTE: Field = { ...SECOND, name: 'minute' };
const HOUR: Field = { name: 'hour', min: 0, max: 23, value: /^(0?[0-9]|1[0-9]|2[0-3])$/, atoi: num };
const DOM: Field = { name: 'day-of-month', min: 1, max: 31, value: /^(0?[1-9]|[12][0-9]|3[01])$/, atoi: num };
const MONTH: Field = {
  name: 'month',
  min: 1,
  max: 12,
  value: new RegExp(`^(0?[1-9]|1[012]|${[...MONTHS, ...MONTHS_LONG].join('|')})$`),
  atoi: (s) => {
    const i = Math.max(MONTHS.indexOf(s), MONTHS_LONG.indexOf(s));
    return i >= 0 ? i + 1 : num(s);
  },
};
const DOW: Field = {
  name: 'day-of-week',
  min: 0,
  max: 6,
  value: new RegExp(`^(0?[0-7]|${[...DAYS, ...DAYS_LONG].join('|')})$`),
  atoi: (s) => {
    const i = Math.max(DAYS.indexOf(s), DAYS_LONG.indexOf(s));
    return i >= 0 ? i : num(s) % 7;
  },
};
const YEAR: Field = { name: 'year', min: 1970, max: 2099, value: /^(19[789][0-9]|20[0-9]{2})$/, atoi: num };

const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 * *',
  '@annually': '0 0 0 1 1 * *',
  '@monthly': '0 0 0 1 * * *',
  '@weekly': '0 0 0 * * 0 *',
  '@daily': '0 0 0 * * * *',
  '@hourly': '0 0 * * * * *',
};

/** One comma-separated entry of a field: a value, a range, a stepped range, or "all". */
type Directive = { kind: 'all' } | { kind: 'span'; first: number; last: number; step: number } | { kind: 'other'; text: string };

function directives(s: string, f: Field): Directive[] {
  const entries = s.split(',').filter((e) => e !== '');
  if (entries.length === 0) throw new CronParseError(`${f.name} field: missing directive`);
  const v = f.value.source.slice(1, -1); // the alternation, without anchors
  const range = new RegExp(`^${v}-${v}$`);
  const valueStep = new RegExp(`^${v}/(\\d+)$`);
  const rangeStep = new RegExp(`^${v}-${v}/(\\d+)$`);
  return entries.map((raw): Directive => {
    const e = raw.toLowerCase();
    const step = (str: string | undefined): number => {
      const n = num(str ?? '');
      if (!(n >= 1 && n <= f.max)) throw new CronParseError(`invalid interval ${e}`);
      return n;
    };
    const span = (first: number, last: number, by: number): Directive => {
      // hashicorp/cronexpr: a day-of-week span ending in Sunday (0 or 7) runs to Saturday.
      const end = f === DOW && last === 0 ? 6 : last;
      if (first > end) throw new CronParseError(`invalid range ${raw} in ${f.name} field: ${first} is after ${end}`);
      return { kind: 'span', first, last: end, step: by };
    };
    if (e === '*' || e === '?') return { kind: 'all' };
    if (f.value.test(e)) {
      const n = f.atoi(e);
      return { kind: 'span', first: n, last: n, step: 1 };
    }
    let m = range.exec(e);
    if (m) return span(f.atoi(m[1] ?? ''), f.atoi(m[2] ?? ''), 1);
    m = /^\*\/(\d+)$/.exec(e);
    if (m) return span(f.min, f.max, step(m[1]));
    m = valueStep.exec(e);
    if (m) return span(f.atoi(m[1] ?? ''), f.max, step(m[2]));
    m = rangeStep.exec(e);
    if (m) return span(f.atoi(m[1] ?? ''), f.atoi(m[2] ?? ''), step(m[3]));
    return { kind: 'other', text: raw };
  });
}

function values(d: { first: number; last: number; step: number }, into: Set<number>): void {
  for (let i = d.first; i <= d.last; i += d.step) into.add(i);
}

/** A plain field (second, minute, hour, month, year): the sorted values, or undefined for "all". */
function plainField(s: string, f: Field): number[] | undefined {
  const out = new Set<number>();
  for (const d of directives(s, f)) {
    if (d.kind === 'all') return undefined;
    if (d.kind === 'other') throw new CronParseError(`syntax error in ${f.name} field: '${d.text}'`);
    values(d, out);
  }
  return [...out].sort((a, b) => a - b);
}

interface DaySpec {
  /** Undefined when unrestricted (`*` or `?`). */
  plain: number[] | undefined;
  /** croner items that need no splitting: `L`, `15W`, `5L`, `5#2`. */
  special: string[];
  /** `LW`, which croner accepts only alone. */
  lastWeekday: boolean;
}

function domField(s: string): DaySpec {
  const spec: DaySpec = { plain: [], special: [], lastWeekday: false };
  const plain = new Set<number>();
  let all = false;
  for (const d of directives(s, DOM)) {
    if (d.kind === 'all') all = true;
    else if (d.kind === 'span') values(d, plain);
    else {
      const e = d.text.toLowerCase();
      const w = /^(0?[1-9]|[12][0-9]|3[01])w$/.exec(e);
      if (e === 'l') spec.special.push('L');
      else if (e === 'lw') spec.lastWeekday = true;
      else if (w) spec.special.push(`${num(w[1] ?? '')}W`);
      else throw new CronParseError(`syntax error in day-of-month field: '${d.text}'`);
    }
  }
  // cronexpr: "*" anywhere in the field leaves it unrestricted, whatever else the field lists.
  if (all) return { plain: undefined, special: [], lastWeekday: false };
  spec.plain = [...plain].sort((a, b) => a - b);
  return spec;
}

function dowField(s: string): DaySpec {
  const spec: DaySpec = { plain: [], special: [], lastWeekday: false };
  const plain = new Set<number>();
  let all = false;
  const v = DOW.value.source.slice(1, -1);
  for (const d of directives(s, DOW)) {
    if (d.kind === 'all') all = true;
    else if (d.kind === 'span') values(d, plain);
    else {
      const e = d.text.toLowerCase();
      const last = new RegExp(`^${v}l$`).exec(e);
      const nth = new RegExp(`^${v}#([1-5])$`).exec(e);
      if (last) spec.special.push(`${DOW.atoi(last[1] ?? '')}L`);
      else if (nth) spec.special.push(`${DOW.atoi(nth[1] ?? '')}#${nth[2] ?? ''}`);
      else throw new CronParseError(`syntax error in day-of-week field: '${d.text}'`);
    }
  }
  if (all) return { plain: undefined, special: [], lastWeekday: false };
  spec.plain = [...plain].sort((a, b) => a - b);
  return spec;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

const list = (vals: number[] | undefined): string => (vals === undefined ? '*' : vals.join(','));

/** A parsed cron expression. */
export class CronExpression {
  /** The croner patterns (7-part) whose earliest next time is this expression's next time. */
  readonly patterns: readonly string[];
  private readonly cache = new Map<string, Cron[]>();

  private constructor(
    readonly spec: string,
    patterns: string[],
  ) {
    this.patterns = patterns;
  }

  /** Parses `spec`; throws CronParseError with cronexpr's message. */
  static parse(spec: string): CronExpression {
    const normalized = spec.replace(/@(yearly|annually|monthly|weekly|daily|hourly)/g, (m) => MACROS[m] ?? m);
    const fields = normalized.split(/\s+/).filter((f) => f !== '');
    if (fields.length < 5) throw new CronParseError('missing field(s)');
    const f = fields.length >= 7 ? fields.slice(0, 7) : fields.length === 6 ? ['0', ...fields] : ['0', ...fields, '*'];
    const [sec, min, hour, dom, month, dow, year] = f as [string, string, string, string, string, string, string];
    const seconds = plainField(sec, SECOND) ?? range(0, 59);
    const minutes = plainField(min, MINUTE) ?? range(0, 59);
    const hours = plainField(hour, HOUR) ?? range(0, 23);
    const days = domField(dom);
    const months = plainField(month, MONTH);
    const weekdays = dowField(dow);
    const years = plainField(year, YEAR);
    // A step in the seconds field makes croner treat the expression as an "interval" job at DST
    // transitions: wall-clock times inside a spring-forward gap are skipped and a time repeated at
    // fall-back fires on both occurrences — what cronexpr does (croner's "fixed-time" rule would run
    // gap times late and repeated times once).
    const secs = seconds.length === 1 ? `${seconds[0] ?? 0}-${seconds[0] ?? 0}/1` : seconds.join(',');
    const head = `${secs} ${minutes.join(',')} ${hours.join(',')}`;
    const tail = `${list(months)} `;
    const dowStr = weekdays.plain === undefined ? '*' : [...weekdays.plain.map(String), ...weekdays.special].join(',');
    const yearStr = years === undefined ? '1970-2099' : years.join(',');
    // Day-of-month items croner cannot combine in one field become separate patterns (their days
    // are a union, and a union of ORs with the day-of-week field is still that OR).
    const domParts: string[] = [];
    if (days.plain === undefined) domParts.push('*');
    else {
      const combined = [...days.plain.map(String), ...days.special.filter((x) => x === 'L')];
      if (combined.length) domParts.push(combined.join(','));
      for (const w of days.special.filter((x) => x !== 'L')) domParts.push(w);
      if (days.lastWeekday) domParts.push('LW');
    }
    const patterns: string[] = [];
    for (const d of domParts) patterns.push(`${head} ${d} ${tail}${dowStr} ${yearStr}`);
    const expr = new CronExpression(spec, patterns);
    expr.crons('UTC'); // croner's own checks (e.g. "31W") surface at parse time
    return expr;
  }

  private crons(timeZone: string): Cron[] {
    let c = this.cache.get(timeZone);
    if (!c) {
      const tz = timeZone === 'Local' || timeZone === '' ? undefined : timeZone;
      try {
        c = this.patterns.map((p) => new Cron(p, { mode: '7-part', legacyMode: true, ...(tz ? { timezone: tz } : {}) }));
      } catch (err) {
        throw new CronParseError((err as Error).message.replace(/^CronPattern: /, ''));
      }
      this.cache.set(timeZone, c);
    }
    return c;
  }

  /** The first matching time strictly after `after` (whole seconds), in `timeZone` (IANA, "UTC" or "Local"); null if none (years past 2099). */
  next(after: Date, timeZone = 'UTC'): Date | null {
    let best: Date | null = null;
    for (const c of this.crons(timeZone)) {
      const n = c.nextRun(after);
      if (n && (best === null || n.getTime() < best.getTime())) best = n;
    }
    return best;
  }
}

/** cronexpr's parse error for `spec`, or undefined when it parses. */
export function cronParseError(spec: string): string | undefined {
  try {
    CronExpression.parse(spec);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const parsed = new Map<string, CronExpression>();

/** A parsed expression from a small cache (periodic jobs re-parse their specs on every launch). */
export function parseCron(spec: string): CronExpression {
  let e = parsed.get(spec);
  if (!e) {
    e = CronExpression.parse(spec);
    if (parsed.size > 1000) parsed.clear();
    parsed.set(spec, e);
  }
  return e;
}

/** What a periodic block needs: its specs (cron or crons; the earliest next time wins) and zone. */
export interface CronSchedule {
  Spec: string;
  Specs: readonly string[] | null;
  TimeZone: string;
}

/** The next launch of a periodic block strictly after `after`; null when no spec ever fires again. Throws CronParseError. */
export function nextLaunch(p: CronSchedule, after: Date): Date | null {
  const specs = p.Spec !== '' ? [p.Spec] : (p.Specs ?? []);
  let best: Date | null = null;
  for (const s of specs) {
    const n = parseCron(s).next(after, p.TimeZone || 'UTC');
    if (n && (best === null || n.getTime() < best.getTime())) best = n;
  }
  return best;
}

/** `d` in RFC 3339 with seconds, in `timeZone` ("2024-09-15T14:41:25Z", "2024-09-15T23:41:25+09:00"), as Go formats a time in its location. */
export function formatInZone(d: Date, timeZone: string): string {
  const tz = timeZone === '' ? 'UTC' : timeZone === 'Local' ? undefined : timeZone;
  const parts = new Intl.DateTimeFormat('en-US', { ...(tz ? { timeZone: tz } : {}), hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(d);
  const get = (t: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offMin = Math.round((local - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const off = offMin === 0 ? 'Z' : `${offMin > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offMin) / 60))}:${pad(Math.abs(offMin) % 60)}`;
  return `${pad(get('year'), 4)}-${pad(get('month'))}-${pad(get('day'))}T${pad(get('hour'))}:${pad(get('minute'))}:${pad(get('second'))}${off}`;
}
