// consul-template's string and membership helpers, with its argument order (the subject last, so
// they pipe: `{{ .x | replaceAll "a" "b" }}`) and its results (split trims and gives [] for "").
import { defineFunc, fail, type FuncMap } from '../funcs.js';
import { kindOf, toNumber } from '../values.js';

/** Go regexp → JavaScript RegExp (RE2's syntax is nearly a subset; (?P<n>…) is renamed). */
export function goRegexp(re: string): RegExp {
  try {
    return new RegExp(re.replace(/\(\?P</g, '(?<'), 'u');
  } catch (e) {
    fail(`error parsing regexp: ${(e as Error).message}`);
  }
}

/** Go's Regexp.ReplaceAllString: $1, ${1}, $name, ${name}; $$ is a dollar; unknown names expand to "". */
export function regexReplaceAll(re: RegExp, replacement: string, s: string): string {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  return s.replace(g, (...m: unknown[]) => {
    const last = m[m.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
    const groups = m.slice(0, typeof last === 'object' && last !== null ? -3 : -2) as (string | undefined)[];
    return replacement.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, d: string, braced?: string, bare?: string) => {
      if (d === '$') return '$';
      const name = braced ?? bare ?? '';
      if (/^\d+$/.test(name)) return groups[Number(name)] ?? '';
      return named[name] ?? '';
    });
  });
}

/** consul-template's `in`: list membership (same kind) or substring. */
export function inList(l: unknown, v: unknown): boolean {
  const kl = kindOf(l);
  if (kl === 'slice') {
    const kv = kindOf(v);
    for (const e of l as unknown[]) {
      const ke = kindOf(e);
      if (ke === 'int' && kv === 'int' && toNumber(e) === toNumber(v)) return true;
      if (ke === 'float' && kv === 'float' && toNumber(e) === toNumber(v)) return true;
      if (ke === 'string' && kv === 'string' && e === v) return true;
    }
    return false;
  }
  if (kl === 'string' && typeof v === 'string') return (l as string).includes(v);
  return false;
}

function containsSome(retTrue: boolean, invert: boolean) {
  return defineFunc(['list', 'any'], (v, l) => {
    for (const e of v ?? []) if (inList(l, e) !== invert) return !retTrue;
    return retTrue;
  });
}

/** strings.Trim(s, cutset). */
function trimCutset(s: string, cutset: string): string {
  const set = new Set(cutset);
  const chars = [...s];
  let i = 0;
  let j = chars.length;
  while (i < j && set.has(chars[i] as string)) i++;
  while (j > i && set.has(chars[j - 1] as string)) j--;
  return chars.slice(i, j).join('');
}

/** Go's strings.TrimSpace (Unicode white space). */
export function trimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
}

/** cases.Title(language.Und, cases.NoLower): upper-cases the first letter of each word. */
function toTitle(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}'’_])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

function indent(spaces: number | bigint, s: string): string {
  const n = Number(spaces);
  if (n < 0) fail('indent value must be a positive integer');
  const prefix = ' '.repeat(n);
  let out = '';
  let sp = true;
  for (const c of s) {
    if (sp && c !== '\n') out += prefix;
    out += c;
    sp = c === '\n';
  }
  return out;
}

export function stringFunctions(): FuncMap {
  return {
    toLower: defineFunc(['string'], (s) => s.toLowerCase()),
    toUpper: defineFunc(['string'], (s) => s.toUpperCase()),
    toTitle: defineFunc(['string'], (s) => toTitle(s)),
    split: defineFunc(['string', 'string'], (sep, s) => {
      const t = trimSpace(s);
      if (t === '') return [];
      return sep === '' ? [...t] : t.split(sep);
    }),
    splitToMap: defineFunc(['string', 'string', 'string'], (sep1, sep2, s) => {
      const t = trimSpace(s);
      const m: Record<string, string> = {};
      if (t === '') return m;
      for (const part of t.split(sep1)) {
        const i = part.indexOf(sep2);
        if (i < 0) continue;
        m[part.slice(0, i)] = part.slice(i + sep2.length);
      }
      return m;
    }),
    join: defineFunc(['string', 'stringList'], (sep, a) => (a ?? []).join(sep)),
    replaceAll: defineFunc(['string', 'string', 'string'], (f, t, s) => (f === '' ? [...s].map((c) => t + c).join('') + t : s.split(f).join(t))),
    regexReplaceAll: defineFunc(['string', 'string', 'string'], (re, pl, s) => regexReplaceAll(goRegexp(re), pl, s)),
    regexMatch: defineFunc(['string', 'string'], (re, s) => goRegexp(re).test(s)),
    trim: defineFunc(['string', 'string'], (cutset, s) => trimCutset(s, cutset)),
    trimPrefix: defineFunc(['string', 'string'], (p, s) => (p !== '' && s.startsWith(p) ? s.slice(p.length) : s)),
    trimSuffix: defineFunc(['string', 'string'], (p, s) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
    trimSpace: defineFunc(['string'], (s) => trimSpace(s)),
    indent: defineFunc(['int', 'string'], (n, s) => indent(n, s)),
    in: defineFunc(['any', 'any'], (l, v) => inList(l, v)),
    contains: defineFunc(['any', 'any'], (v, l) => inList(l, v)),
    containsAll: containsSome(true, true),
    containsAny: containsSome(false, false),
    containsNone: containsSome(true, false),
    containsNotAll: containsSome(false, true),
  };
}
