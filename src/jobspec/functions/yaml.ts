// yamlencode and yamldecode, per go-cty-yaml. Encoding is a small block-style emitter that writes
// what go-cty-yaml's libyaml emitter writes: strings double-quoted (multi-line strings as literal
// blocks), keys sorted, sequences not indented under their key, empty collections as [] and {},
// and "..." after a bare top-level scalar. Decoding uses the `yaml` package with go-cty-yaml's
// scalar rules: YAML 1.1 booleans (yes/no/on/off), timestamps read back as RFC 3339 strings, and
// NaN refused. One document only.
import { parseAllDocuments } from 'yaml';
import type { ScalarTag } from 'yaml';
import type { Value, ValueObject } from '../hcl/value.js';
import { isObject } from '../hcl/value.js';
import { argError, stringArg } from './args.js';
import { numberToString } from './conversion.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { setKey, sortedKeys } from './value-ops.js';

const indentStep = 2;

/** libyaml's double-quoted escapes. */
function quoteYaml(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const named: Record<number, string> = { 0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 27: 'e', 34: '"', 92: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' };
    const esc = named[cp];
    if (esc !== undefined) out += `\\${esc}`;
    else if (isPrintable(cp)) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`;
  }
  return `${out}"`;
}

function isPrintable(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) || cp >= 0x10000;
}

/** libyaml only writes a literal block when no line has trailing spaces and every character is printable. */
function literalAllowed(s: string): boolean {
  if (/ \n/.test(s) || / $/.test(s)) return false;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp !== 10 && !isPrintable(cp)) return false;
  }
  return true;
}

function literalBlock(s: string, indent: number): { text: string; keep: boolean } {
  const trailing = /\n*$/.exec(s)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const hint = s.startsWith(' ') || s.startsWith('\n') ? String(indentStep) : '';
  // The line break that ends the block's last line is written by whatever follows the block.
  const body = trailing === 0 ? s : s.slice(0, -1);
  const pad = ' '.repeat(indent);
  const lines = body.split('\n').map((l) => (l === '' ? '' : pad + l));
  return { text: `|${hint}${chomp}\n${lines.join('\n')}`, keep: chomp === '+' };
}

function scalar(v: Value, indent: number): { text: string; plain: boolean } {
  if (v === null) return { text: 'null', plain: true };
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false', plain: true };
  if (typeof v === 'number') return { text: numberToString(v), plain: true };
  if (typeof v === 'string') {
    if (v.includes('\n') && literalAllowed(v)) {
      const block = literalBlock(v, indent);
      return { text: block.text, plain: block.keep };
    }
    return { text: quoteYaml(v), plain: false };
  }
  return { text: Array.isArray(v) ? '[]' : '{}', plain: false };
}

const isNonEmptyCollection = (v: Value): boolean => (Array.isArray(v) ? v.length > 0 : isObject(v) && Object.keys(v).length > 0);

/** Lines for a value placed at `indent`; the first line carries no indentation (the caller places it). */
function emit(v: Value, indent: number): string {
  if (Array.isArray(v) && v.length > 0) {
    const pad = ' '.repeat(indent);
    return v.map((item, i) => `${i === 0 ? '' : pad}- ${emit(item, indent + indentStep)}`).join('\n');
  }
  if (isObject(v) && Object.keys(v).length > 0) {
    const pad = ' '.repeat(indent);
    return sortedKeys(v)
      .map((k, i) => {
        const item = v[k] ?? null;
        const head = `${i === 0 ? '' : pad}${quoteYaml(k)}:`;
        if (Array.isArray(item) && item.length > 0) return `${head}\n${pad}${emit(item, indent)}`;
        if (isNonEmptyCollection(item)) return `${head}\n${pad}${' '.repeat(indentStep)}${emit(item, indent + indentStep)}`;
        return `${head} ${scalar(item, indent + indentStep).text}`;
      })
      .join('\n');
  }
  return scalar(v, indent).text;
}

export function encodeYaml(v: Value): string {
  for (const n of walkNumbers(v)) {
    if (Number.isNaN(n)) throw new FunctionError('floating point NaN cannot be encoded as YAML');
  }
  if (isNonEmptyCollection(v)) return `${emit(v, 0)}\n`;
  // A top-level block scalar is indented one step; a plain one is closed with "..." as libyaml does.
  const root = scalar(v, indentStep);
  return root.plain ? `${root.text}\n...\n` : `${root.text}\n`;
}

function* walkNumbers(v: Value): Generator<number> {
  if (typeof v === 'number') yield v;
  else if (Array.isArray(v)) for (const x of v) yield* walkNumbers(x);
  else if (isObject(v)) for (const x of Object.values(v)) yield* walkNumbers(x);
}

// ---- decoding ------------------------------------------------------------------------------

const yaml11Bool: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/,
  resolve: (s: string) => /^(?:y|Y|yes|Yes|YES|on|On|ON)$/.test(s),
};

const timestampPattern = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(\.\d+)?[ \t]*(Z|[+-]\d{1,2}(?::?\d{2})?)?)?$/;

/** go-cty-yaml reads timestamps back as RFC 3339 strings (fractional seconds dropped). */
const timestamp: ScalarTag = {
  tag: 'tag:yaml.org,2002:timestamp',
  default: true,
  test: timestampPattern,
  resolve(s: string) {
    const m = timestampPattern.exec(s) ?? [];
    const two = (x: string | undefined): string => (x ?? '0').padStart(2, '0');
    const date = `${m[1]}-${two(m[2])}-${two(m[3])}`;
    const time = `${two(m[4])}:${two(m[5])}:${two(m[6])}`;
    const zone = m[8];
    if (zone === undefined || zone === 'Z') return `${date}T${time}Z`;
    const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone) ?? [];
    const offset = `${z[1]}${two(z[2])}:${z[3] ?? '00'}`;
    return `${date}T${time}${offset === '+00:00' ? 'Z' : offset}`;
  },
};

const nan: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: /^\.(?:nan|NaN|NAN)$/,
  resolve() {
    throw new FunctionError('floating point NaN is not supported');
  },
};

function fromYaml(v: unknown, path: string): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map((x, i) => fromYaml(x, `${path}[${i}]`));
  if (v instanceof Map) {
    const out: ValueObject = {};
    for (const [k, x] of v) {
      if (k === null || k === undefined) throw new FunctionError(`mapping key cannot be null (at ${path || 'the top level'})`);
      if (typeof k === 'object') throw new FunctionError(`only strings are allowed as mapping keys (at ${path || 'the top level'})`);
      setKey(out, String(k), fromYaml(x, `${path}.${String(k)}`));
    }
    return out;
  }
  throw new FunctionError(`unsupported YAML value at ${path || 'the top level'}`);
}

export function decodeYaml(text: string): Value {
  const docs = parseAllDocuments(text, {
    schema: 'core',
    merge: true,
    uniqueKeys: false,
    customTags: (tags) => [yaml11Bool, timestamp, nan, ...tags],
  });
  if (!Array.isArray(docs)) throw new FunctionError('the string is not a single YAML document');
  if (docs.length > 1) throw new FunctionError('only a single document is allowed');
  const doc = docs[0];
  if (doc === undefined) return null;
  const problem = doc.errors[0];
  if (problem !== undefined) throw new FunctionError(problem.message.split('\n')[0] ?? problem.message);
  return fromYaml(doc.toJS({ mapAsMap: true }), '');
}

export const yamlFunctions: Record<string, HclFunction> = {
  yamlencode: {
    params: ['value'],
    impl([value = null]) {
      try {
        return encodeYaml(value);
      } catch (err) {
        if (err instanceof FunctionError) throw argError(0, 'value', err.message);
        throw err;
      }
    },
  },
  yamldecode: {
    params: ['src'],
    impl(args) {
      const src = stringArg(args, 0, 'src');
      try {
        return decodeYaml(src);
      } catch (err) {
        if (err instanceof FunctionError || err instanceof Error) throw argError(0, 'src', `the string is not valid YAML: ${err.message}`);
        throw err;
      }
    },
  },
};
