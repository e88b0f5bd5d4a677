// Regular-expression functions, per cty stdlib: regex (first match), regexall (every match) and
// regex_replace (Go's ReplaceAllString). Patterns use Go RE2 syntax, translated by regex-syntax.ts.
// A match result is the matched string when the pattern has no capture groups, a list of the
// groups when they are unnamed, and an object of the groups when they are named.
import type { Value, ValueObject } from '../hcl/value.js';
import { argError, stringArg } from './args.js';
import { RegexSyntaxError, expandTemplate, translateGoRegex } from './regex-syntax.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { setKey } from './value-ops.js';

interface Compiled {
  re: RegExp;
  groupCount: number;
  names: string[];
}

function compile(pattern: string, index: number, param: string): Compiled {
  let re: RegExp;
  try {
    const { source, flags } = translateGoRegex(pattern);
    re = new RegExp(source, `${flags}g`);
  } catch (err) {
    const why = err instanceof RegexSyntaxError || err instanceof SyntaxError ? err.message : String(err);
    throw argError(index, param, `error parsing pattern ${JSON.stringify(pattern)}: ${why}`);
  }
  const probe = new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('');
  const groupCount = (probe?.length ?? 1) - 1;
  const names = Object.keys(probe?.groups ?? {});
  return { re, groupCount, names };
}

function resultOf(c: Compiled, m: RegExpExecArray): Value {
  if (c.groupCount === 0) return m[0];
  if (c.names.length > 0) {
    const out: ValueObject = {};
    for (const name of c.names) setKey(out, name, m.groups?.[name] ?? null);
    return out;
  }
  return m.slice(1).map((g) => g ?? null);
}

/**
 * Successive non-overlapping matches as Go's regexp "All" functions find them: an empty match
 * directly after the previous match is skipped (JavaScript's matchAll would report it).
 */
function* goMatches(re: RegExp, s: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  let prevEnd = -1;
  for (;;) {
    const m = re.exec(s);
    if (m === null) return;
    const end = m.index + m[0].length;
    if (m[0] === '') {
      re.lastIndex = m.index + ((s.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1);
      if (m.index === prevEnd) continue;
    }
    prevEnd = end;
    yield m;
  }
}

function checkGroups(c: Compiled): void {
  if (c.names.length > 0 && c.names.length !== c.groupCount) {
    throw argError(0, 'pattern', 'invalid regexp pattern: cannot mix both named and unnamed capture groups');
  }
}

export const regexFunctions: Record<string, HclFunction> = {
  regex: {
    params: ['pattern', 'string'],
    impl(args) {
      const c = compile(stringArg(args, 0, 'pattern'), 0, 'pattern');
      const s = stringArg(args, 1, 'string');
      checkGroups(c);
      c.re.lastIndex = 0;
      const m = c.re.exec(s);
      if (m === null) throw new FunctionError('pattern did not match any part of the given string');
      return resultOf(c, m);
    },
  },
  regexall: {
    params: ['pattern', 'string'],
    impl(args) {
      const c = compile(stringArg(args, 0, 'pattern'), 0, 'pattern');
      const s = stringArg(args, 1, 'string');
      checkGroups(c);
      return [...goMatches(c.re, s)].map((m) => resultOf(c, m));
    },
  },
  regex_replace: {
    params: ['str', 'pattern', 'replace'],
    impl(args) {
      const s = stringArg(args, 0, 'str');
      const c = compile(stringArg(args, 1, 'pattern'), 1, 'pattern');
      const template = stringArg(args, 2, 'replace');
      let out = '';
      let last = 0;
      for (const m of goMatches(c.re, s)) {
        out += s.slice(last, m.index) + expandTemplate(template, [...m], m.groups);
        last = m.index + m[0].length;
      }
      return out + s.slice(last);
    },
  },
};
