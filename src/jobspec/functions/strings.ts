// String functions, per cty stdlib: case, trimming, splitting and joining, measuring and slicing.
// Lengths, offsets and reversal work on grapheme clusters (what a reader calls a character), as
// cty does; trimming and splitting work on code points, as Go's strings package does.
import type { Value } from '../hcl/value.js';
import { argError, intArg, listArg, stringArg } from './args.js';
import { convertValue } from './conversion.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { graphemes } from './value-ops.js';

/** Go's unicode.IsSpace set, which differs from JavaScript's \s (no U+FEFF, adds U+0085). */
const goSpace = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const leadingSpace = new RegExp(`^[${goSpace}]+`, 'u');
const trailingSpace = new RegExp(`[${goSpace}]+$`, 'u');
const singleSpace = new RegExp(`^[${goSpace}]$`, 'u');

/** Simple (one-to-one) case mapping per code point, as Go's strings.ToUpper/ToLower do. */
function mapCase(s: string, upper: boolean): string {
  let out = '';
  for (const ch of s) {
    const mapped = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += [...mapped].length === 1 ? mapped : ch;
  }
  return out;
}

/** Go's strings.Title: upper-cases the first letter of each word (words split on spaces and ASCII punctuation). */
function title(s: string): string {
  let out = '';
  let prevSeparator = true;
  for (const ch of s) {
    out += prevSeparator ? mapCase(ch, true) : ch;
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) prevSeparator = !/[A-Za-z0-9_]/.test(ch);
    else prevSeparator = /^[\p{L}\p{N}]$/u.test(ch) ? false : singleSpace.test(ch);
  }
  return out;
}

export function reverseString(s: string): string {
  return graphemes(s).reverse().join('');
}

/** cty's substr, including its edge cases: a negative offset counts from the end, a negative length means "to the end". */
function substr(s: string, offset: number, length: number): string {
  const g = graphemes(s);
  let start = offset;
  if (start < 0) start += g.length;
  else if (length === 0) return '';
  const rest = g.slice(Math.max(start, 0));
  // cty treats a zero length after a negative offset like "to the end"; kept for compatibility.
  if (length <= 0) return rest.join('');
  return rest.slice(0, length).join('');
}

function trimCutset(s: string, cutset: string): string {
  const cut = new Set(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && cut.has(chars[a] ?? '')) a++;
  while (b > a && cut.has(chars[b - 1] ?? '')) b--;
  return chars.slice(a, b).join('');
}

/** Go's strings.Replace(s, old, new, -1), including the empty-`old` case (insert around every code point). */
function replaceAll(s: string, old: string, replacement: string): string {
  if (old === '') return replacement + [...s].join(replacement) + (s === '' ? '' : replacement);
  return s.split(old).join(replacement);
}

function str1(fn: (s: string) => Value): HclFunction {
  return { params: ['str'], impl: (args) => fn(stringArg(args, 0, 'str')) };
}

export const stringFunctions: Record<string, HclFunction> = {
  upper: str1((s) => mapCase(s, true)),
  lower: str1((s) => mapCase(s, false)),
  title: str1(title),
  strlen: str1((s) => graphemes(s).length),
  strrev: str1(reverseString),
  chomp: str1((s) => s.replace(/(?:\r\n?|\n)*$/, '')),
  trimspace: str1((s) => s.replace(leadingSpace, '').replace(trailingSpace, '')),
  trim: {
    params: ['str', 'cutset'],
    impl: (args) => trimCutset(stringArg(args, 0, 'str'), stringArg(args, 1, 'cutset')),
  },
  trimprefix: {
    params: ['str', 'prefix'],
    impl(args) {
      const s = stringArg(args, 0, 'str');
      const p = stringArg(args, 1, 'prefix');
      return s.startsWith(p) ? s.slice(p.length) : s;
    },
  },
  trimsuffix: {
    params: ['str', 'suffix'],
    impl(args) {
      const s = stringArg(args, 0, 'str');
      const p = stringArg(args, 1, 'suffix');
      return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
    },
  },
  startswith: {
    params: ['str', 'prefix'],
    impl: (args) => stringArg(args, 0, 'str').startsWith(stringArg(args, 1, 'prefix')),
  },
  endswith: {
    params: ['str', 'suffix'],
    impl: (args) => stringArg(args, 0, 'str').endsWith(stringArg(args, 1, 'suffix')),
  },
  strcontains: {
    params: ['str', 'substr'],
    impl: (args) => stringArg(args, 0, 'str').includes(stringArg(args, 1, 'substr')),
  },
  replace: {
    params: ['str', 'substr', 'replace'],
    impl: (args) => replaceAll(stringArg(args, 0, 'str'), stringArg(args, 1, 'substr'), stringArg(args, 2, 'replace')),
  },
  substr: {
    params: ['str', 'offset', 'length'],
    impl: (args) => substr(stringArg(args, 0, 'str'), intArg(args, 1, 'offset'), intArg(args, 2, 'length')),
  },
  indent: {
    params: ['spaces', 'str'],
    impl(args) {
      const spaces = intArg(args, 0, 'spaces');
      if (spaces < 0) throw argError(0, 'spaces', `the number of spaces must not be negative, but got ${spaces}`);
      return stringArg(args, 1, 'str').replaceAll('\n', `\n${' '.repeat(spaces)}`);
    },
  },
  split: {
    params: ['separator', 'str'],
    impl(args) {
      const sep = stringArg(args, 0, 'separator');
      const s = stringArg(args, 1, 'str');
      return sep === '' ? [...s] : s.split(sep);
    },
  },
  join: {
    params: ['separator'],
    variadic: 'lists',
    impl(args) {
      const sep = stringArg(args, 0, 'separator');
      if (args.length < 2) throw new FunctionError('at least one list is required');
      const parts: string[] = [];
      for (let ai = 1; ai < args.length; ai++) {
        listArg(args, ai, 'lists').forEach((item, ei) => {
          if (item === null) {
            const where = args.length > 2 ? `element ${ei} of list ${ai}` : `element ${ei}`;
            throw argError(ai, 'lists', `${where} is null; cannot concatenate null values`);
          }
          if (typeof item === 'object') throw argError(ai, 'lists', `element ${ei} is a collection; join needs a list of strings`);
          parts.push(convertValue(item, { kind: 'string' }) as string);
        });
      }
      return parts.join(sep);
    },
  },
};
