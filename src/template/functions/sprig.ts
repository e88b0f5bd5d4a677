// The common, pure subset of Sprig that consul-template exposes with a `sprig_` prefix. Sprig
// functions that read the process (env, expandenv), the clock or randomness are left out: a task's
// template must not see the agent's environment, and renders must be reproducible.
import { formatValue } from '../fmt/print.js';
import { defineFunc, defineVariadic, fail, type FuncMap } from '../funcs.js';
import { compareGoStrings, intValue, isTrue, kindOf, sortedEntries, toBigInt } from '../values.js';
import { toGoJSON } from './encoding.js';
import { trimSpace } from './strings.js';

/** Sprig's toString: strings as is, everything else as fmt prints it. */
function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return formatValue(v);
}

function toInt64(v: unknown): bigint {
  const k = kindOf(v);
  if (k === 'int') return toBigInt(v);
  if (k === 'float') return BigInt(Math.trunc(Number(v instanceof Object ? (v as { value: number }).value : v)));
  if (k === 'string') return /^[+-]?\d+$/.test(v as string) ? BigInt(v as string) : 0n;
  if (k === 'bool') return v ? 1n : 0n;
  return 0n;
}

function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined) return [];
  fail(`Cannot find first on type ${kindOf(v)}`);
}

export function sprigFunctions(): FuncMap {
  const f: FuncMap = {
    upper: defineFunc(['string'], (s) => s.toUpperCase()),
    lower: defineFunc(['string'], (s) => s.toLowerCase()),
    title: defineFunc(['string'], (s) => s.replace(/(^|\s)(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase())),
    trim: defineFunc(['string'], (s) => trimSpace(s)),
    trimAll: defineFunc(['string', 'string'], (cut, s) => s.replace(new RegExp(`^[${escapeClass(cut)}]+|[${escapeClass(cut)}]+$`, 'gu'), '')),
    trimPrefix: defineFunc(['string', 'string'], (p, s) => (s.startsWith(p) ? s.slice(p.length) : s)),
    trimSuffix: defineFunc(['string', 'string'], (p, s) => (p !== '' && s.endsWith(p) ? s.slice(0, -p.length) : s)),
    contains: defineFunc(['string', 'string'], (sub, s) => s.includes(sub)),
    hasPrefix: defineFunc(['string', 'string'], (p, s) => s.startsWith(p)),
    hasSuffix: defineFunc(['string', 'string'], (p, s) => s.endsWith(p)),
    replace: defineFunc(['string', 'string', 'string'], (o, n, s) => s.split(o).join(n)),
    repeat: defineFunc(['int', 'string'], (n, s) => s.repeat(Math.max(0, Number(n)))),
    nospace: defineFunc(['string'], (s) => s.replace(/\s/gu, '')),
    quote: defineVariadic([], 'any', (...args) => args.filter((a) => a !== null && a !== undefined).map((a) => JSON.stringify(str(a))).join(' ')),
    squote: defineVariadic([], 'any', (...args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${str(a)}'`).join(' ')),
    toString: defineFunc(['any'], (v) => str(v)),
    toJson: defineFunc(['any'], (v) => toGoJSON(v, { escapeHTML: true, indent: '' })),
    default: defineVariadic(['any'], 'any', (d, ...given) => (given.length === 0 || !isTrue(given[0]) ? d : given[0])),
    empty: defineFunc(['any'], (v) => !isTrue(v)),
    coalesce: defineVariadic([], 'any', (...args) => args.find((a) => isTrue(a)) ?? null),
    ternary: defineFunc(['any', 'any', 'bool'], (t, fv, c) => (c ? t : fv)),
    list: defineVariadic([], 'any', (...args) => args),
    dict: defineVariadic([], 'any', (...args) => {
      const m: Record<string, unknown> = {};
      for (let i = 0; i < args.length; i += 2) m[str(args[i])] = i + 1 < args.length ? args[i + 1] : '';
      return m;
    }),
    first: defineFunc(['any'], (l) => list(l)[0] ?? null),
    last: defineFunc(['any'], (l) => list(l).at(-1) ?? null),
    rest: defineFunc(['any'], (l) => list(l).slice(1)),
    initial: defineFunc(['any'], (l) => list(l).slice(0, -1)),
    uniq: defineFunc(['any'], (l) => list(l).filter((v, i, a) => a.findIndex((w) => formatValue(w) === formatValue(v) && kindOf(w) === kindOf(v)) === i)),
    has: defineFunc(['any', 'any'], (needle, l) => list(l).some((v) => kindOf(v) === kindOf(needle) && formatValue(v) === formatValue(needle))),
    sortAlpha: defineFunc(['any'], (l) => list(l).map(str).sort(compareGoStrings)),
    keys: defineVariadic([], 'map', (...maps) => maps.flatMap((m) => (m === null ? [] : sortedEntries(m).map(([k]) => k)))),
    join: defineFunc(['string', 'any'], (sep, l) => list(l).map(str).join(sep)),
    splitList: defineFunc(['string', 'string'], (sep, s) => s.split(sep)),
    int: defineFunc(['any'], (v) => intValue(BigInt.asIntN(64, toInt64(v)))),
    int64: defineFunc(['any'], (v) => intValue(BigInt.asIntN(64, toInt64(v)))),
    atoi: defineFunc(['string'], (s) => (/^[+-]?\d+$/.test(s) ? intValue(BigInt(s)) : 0)),
    add: defineVariadic([], 'any', (...args) => intValue(BigInt.asIntN(64, args.reduce<bigint>((a, b) => a + toInt64(b), 0n)))),
    sub: defineFunc(['any', 'any'], (a, b) => intValue(BigInt.asIntN(64, toInt64(a) - toInt64(b)))),
    mul: defineVariadic(['any'], 'any', (a, ...rest) => intValue(BigInt.asIntN(64, rest.reduce<bigint>((x, y) => x * toInt64(y), toInt64(a))))),
    div: defineFunc(['any', 'any'], (a, b) => {
      const d = toInt64(b);
      if (d === 0n) fail('runtime error: integer divide by zero');
      return intValue(toInt64(a) / d);
    }),
    mod: defineFunc(['any', 'any'], (a, b) => {
      const d = toInt64(b);
      if (d === 0n) fail('runtime error: integer divide by zero');
      return intValue(toInt64(a) % d);
    }),
    b64enc: defineFunc(['string'], (s) => Buffer.from(s, 'utf8').toString('base64')),
    b64dec: defineFunc(['string'], (s) => Buffer.from(s, 'base64').toString('utf8')),
  };
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [`sprig_${k}`, v]));
}

function escapeClass(s: string): string {
  return s.replace(/[\\\]^-]/g, '\\$&');
}
