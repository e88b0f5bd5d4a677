// `format` and `formatlist`, per cty stdlib: a printf-like language with the verbs
// %v %#v %t %b %d %o %x %X %e %E %f %g %G %s %q and %%, flags (space + - 0 #), width, precision
// and explicit argument indexes ("%[2]s"). Widths and string precision count grapheme clusters.
// Every argument must be used: extra arguments are an error, so mistakes surface early.
import type { Value } from '../hcl/value.js';
import { argError, stringArg } from './args.js';
import { convertValue } from './conversion.js';
import { encodeJson, quoteJsonString } from './json.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { graphemes } from './value-ops.js';

interface Verb {
  raw: string;
  offset: number;
  argNum: number;
  mode: string;
  zero: boolean;
  sharp: boolean;
  plus: boolean;
  minus: boolean;
  space: boolean;
  width: number; // -1 when absent
  prec: number; // -1 when absent
}

const verbPattern = /%([0#+\- ]*)([1-9]\d*)?(\.\d*)?(?:\[([1-9]\d*)\])?([A-Za-z])?/y;

/** Formats `args` by `fmt`; errors carry no argIndex unless they are about one value argument. */
export function formatString(fmt: string, args: readonly Value[]): string {
  let out = '';
  let nextArg = 1;
  let highest = 0;
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf('%', i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    if (fmt[pct + 1] === '%') {
      out += '%';
      i = pct + 2;
      continue;
    }
    verbPattern.lastIndex = pct;
    const m = verbPattern.exec(fmt);
    const [raw = '', flags = '', width, prec, index, mode] = m ?? [];
    if (mode === undefined) {
      const next = fmt.slice(pct + raw.length, pct + raw.length + 1);
      throw new FunctionError(
        next === '' ? `invalid format string starting at offset ${pct}: the verb is incomplete` : `unrecognized format character ${JSON.stringify(next)} at offset ${pct + raw.length}`,
      );
    }
    const verb: Verb = {
      raw,
      offset: pct,
      argNum: index === undefined ? nextArg : Number(index),
      mode,
      zero: flags.includes('0'),
      sharp: flags.includes('#'),
      plus: flags.includes('+'),
      minus: flags.includes('-'),
      space: flags.includes(' '),
      width: width === undefined ? -1 : Number(width),
      prec: prec === undefined ? -1 : Number(prec.slice(1) || '0'),
    };
    highest = Math.max(highest, verb.argNum);
    out += formatOne(verb, args);
    nextArg = verb.argNum + 1;
    i = pct + raw.length;
  }
  if (highest < args.length) {
    throw new FunctionError(
      highest === 0 ? 'too many arguments; no verbs in format string' : `too many arguments; only ${highest} used by format string`,
      highest + 1,
    );
  }
  return out;
}

function formatOne(verb: Verb, args: readonly Value[]): string {
  if (verb.argNum > args.length) {
    throw new FunctionError(`not enough arguments for ${JSON.stringify(verb.raw)} at ${verb.offset}: need index ${verb.argNum} but have ${args.length} total`);
  }
  const arg = args[verb.argNum - 1] ?? null;
  const fail = (detail: string): never => {
    throw new FunctionError(`unsupported value for ${JSON.stringify(verb.raw)} at ${verb.offset}: ${detail}`, verb.argNum);
  };
  if (verb.mode !== 'v' && arg === null) fail('null value cannot be formatted');
  const convert = (kind: 'string' | 'number' | 'bool'): Value => {
    try {
      return convertValue(arg, { kind });
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
  };
  switch (verb.mode) {
    case 'v':
      if (!verb.sharp && typeof arg === 'string') return pad(verb, arg);
      if (!verb.sharp && typeof arg === 'number') return pad(verb, goShortest(arg));
      return pad(verb, encodeJson(arg));
    case 't':
      return pad(verb, convert('bool') === true ? 'true' : 'false');
    case 'b':
    case 'd':
    case 'o':
    case 'x':
    case 'X': {
      const n = convert('number') as number;
      if (!Number.isInteger(n)) fail('an integer is required');
      return formatInteger(verb, n);
    }
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G':
      return formatFloat(verb, convert('number') as number);
    case 's':
    case 'q': {
      let s = convert('string') as string;
      if (verb.prec > 0) s = graphemes(s).slice(0, verb.prec).join('');
      return pad(verb, verb.mode === 'q' ? quoteJsonString(s) : s);
    }
    default:
      throw new FunctionError(`unsupported format verb ${JSON.stringify(verb.mode)} in ${JSON.stringify(verb.raw)} at offset ${verb.offset}`);
  }
}

/** Pads to the width in grapheme clusters, as cty does for %v, %t, %s and %q. */
function pad(verb: Verb, s: string): string {
  const len = graphemes(s).length;
  if (verb.width < 0 || len >= verb.width) return s;
  const fill = (verb.zero ? '0' : ' ').repeat(verb.width - len);
  return verb.minus ? s + fill : fill + s;
}

/** Go's numeric padding: sign first, then zeros when the 0 flag asks (and - does not), else spaces. */
function padNumber(verb: Verb, negative: boolean, body: string, allowZero = true): string {
  const sign = negative ? '-' : verb.plus ? '+' : verb.space ? ' ' : '';
  const len = sign.length + body.length;
  if (verb.width <= len) return sign + body;
  const fill = verb.width - len;
  if (verb.minus) return sign + body + ' '.repeat(fill);
  if (verb.zero && allowZero) return sign + '0'.repeat(fill) + body;
  return ' '.repeat(fill) + sign + body;
}

function formatInteger(verb: Verb, n: number): string {
  const big = BigInt(n);
  const abs = big < 0n ? -big : big;
  const radix = { b: 2, d: 10, o: 8, x: 16, X: 16 }[verb.mode as 'b' | 'd' | 'o' | 'x' | 'X'];
  let digits = abs.toString(radix);
  if (verb.mode === 'X') digits = digits.toUpperCase();
  // Go's big.Int: precision is a minimum digit count, and a precision of 0 prints 0 as nothing.
  if (verb.prec >= 0) digits = verb.prec === 0 && abs === 0n ? '' : digits.padStart(verb.prec, '0');
  if (verb.sharp) digits = ({ b: '0b', o: '0', x: '0x', X: '0X', d: '' }[verb.mode] ?? '') + digits;
  return padNumber(verb, big < 0n, digits, verb.prec < 0);
}

function formatFloat(verb: Verb, n: number): string {
  const upper = verb.mode === 'E' || verb.mode === 'G';
  const negative = n < 0 || Object.is(n, -0);
  const abs = Math.abs(n);
  let body: string;
  if (!Number.isFinite(abs)) body = 'Inf';
  else if (verb.mode === 'f') body = fixed(abs, verb.prec < 0 ? 6 : verb.prec);
  else if (verb.mode === 'e' || verb.mode === 'E') body = exponential(abs, verb.prec < 0 ? 6 : verb.prec);
  else body = general(abs, verb.prec);
  if (upper) body = body.toUpperCase();
  return padNumber(verb, negative, body, Number.isFinite(abs));
}

/** Decimal notation with `prec` fraction digits, exact for large values as Go prints them. */
function fixed(abs: number, prec: number): string {
  if (abs < 1e21) return abs.toFixed(Math.min(prec, 100));
  return BigInt(abs).toString() + (prec > 0 ? `.${'0'.repeat(prec)}` : '');
}

/** Go's %e: mantissa with `prec` fraction digits and an exponent of at least two digits. */
function exponential(abs: number, prec?: number): string {
  const s = prec === undefined ? abs.toExponential() : abs.toExponential(Math.min(prec, 100));
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Go big.Float %g: shortest digits when no precision, switching to %e at exponent < -4 or ≥ 6 (or ≥ the precision). */
function general(abs: number, prec: number): string {
  if (abs === 0) return '0';
  const shortest = prec < 0;
  const p = prec === 0 ? 1 : prec;
  const e = shortest ? abs.toExponential() : abs.toExponential(p - 1);
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e);
  if (m === null) return e;
  const digits = (m[1] ?? '') + (m[2] ?? '').replace(/0+$/, '');
  const exp = Number(m[3]);
  const eprec = shortest ? 6 : p;
  if (exp < -4 || exp >= eprec) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length);
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** The rendering %v gives a number (Go's big.Float 'g' with shortest precision). */
export function goShortest(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  return (n < 0 ? '-' : '') + general(Math.abs(n), -1);
}

export const formatFunctions: Record<string, HclFunction> = {
  format: {
    params: ['format'],
    variadic: 'args',
    impl(args) {
      const fmt = stringArg(args, 0, 'format');
      return formatString(fmt, args.slice(1));
    },
  },
  formatlist: {
    params: ['format'],
    variadic: 'args',
    impl(args) {
      const fmt = stringArg(args, 0, 'format');
      const rest = args.slice(1);
      let length = -1;
      let chooser = -1;
      rest.forEach((a, i) => {
        if (!Array.isArray(a)) return;
        if (length === -1) {
          length = a.length;
          chooser = i;
        } else if (a.length !== length) {
          throw argError(i + 1, 'args', `argument ${i + 1} has length ${a.length}, which is inconsistent with argument ${chooser + 1} of length ${length}`);
        }
      });
      const out: Value[] = [];
      for (let n = 0; n < (length === -1 ? 1 : length); n++) {
        const row = rest.map((a) => (Array.isArray(a) ? (a[n] ?? null) : a));
        try {
          out.push(formatString(fmt, row));
        } catch (err) {
          if (err instanceof FunctionError) throw new FunctionError(`error on format iteration ${n}: ${err.message}`, err.argIndex);
          throw err;
        }
      }
      return out;
    },
  },
};
