// Encoding helpers: JSON as Go's encoding/json writes it (sorted map keys, HTML-safe escapes,
// Go's float forms), YAML and TOML, base64, hashes, and the parse* conversions with
// consul-template's "empty string is zero" rule and strconv's error wording.
import { createHash, createHmac } from 'node:crypto';
import YAML from 'yaml';
import { formatFloat } from '../fmt/float.js';
import { defineFunc, fail, type FuncMap } from '../funcs.js';
import { parseGoBool } from '../../structs/strconv.js';
import { parseFloatGo } from '../strconv.js';
import { GoFloat, goFloat, intValue, jsonOf, kindOf, sortedEntries, stringerOf, toNumber } from '../values.js';

// --- JSON -----------------------------------------------------------------------------------------

function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) {
      if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else out += `\\u00${c.toString(16).padStart(2, '0')}`;
    } else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) out += `\\u00${c.toString(16)}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

/** encoding/json's float64 form: %f unless the exponent is < -6 or >= 21, then %e with e-7 not e-07. */
function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) fail(`json: unsupported value: ${formatFloat(f, 'g', -1)}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return formatFloat(f, 'e', -1).replace(/e([+-])0(\d)$/, 'e$1$2');
  return formatFloat(f, 'f', -1);
}

export function toGoJSON(v: unknown, opts: { escapeHTML: boolean; indent: string }, depth = 0): string {
  const hook = jsonOf(v);
  if (hook) return toGoJSON(hook(), opts, depth);
  const nl = opts.indent ? `\n${opts.indent.repeat(depth + 1)}` : '';
  const close = opts.indent ? `\n${opts.indent.repeat(depth)}` : '';
  const colon = opts.indent ? ': ' : ':';
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return 'null';
    case 'bool':
      return v ? 'true' : 'false';
    case 'int':
      return String(v);
    case 'float':
      return jsonFloat(toNumber(v));
    case 'string':
      return jsonString(v as string, opts.escapeHTML);
    case 'func':
      fail('json: unsupported type: func');
    case 'slice': {
      const arr = v as unknown[];
      if (arr.length === 0) return '[]';
      return `[${arr.map((e) => nl + toGoJSON(e, opts, depth + 1)).join(',')}${close}]`;
    }
    case 'map': {
      const entries = sortedEntries(v as Record<string, unknown>);
      if (entries.length === 0) return '{}';
      return `{${entries.map(([k, e]) => `${nl}${jsonString(String(k), opts.escapeHTML)}${colon}${toGoJSON(e, opts, depth + 1)}`).join(',')}${close}}`;
    }
    case 'struct': {
      const entries = Object.entries(v as object);
      const str = stringerOf(v);
      if (entries.length === 0 && str) return jsonString(str.call(v), opts.escapeHTML);
      if (entries.length === 0) return '{}';
      return `{${entries.map(([k, e]) => `${nl}${jsonString(k, opts.escapeHTML)}${colon}${toGoJSON(e, opts, depth + 1)}`).join(',')}${close}}`;
    }
  }
}

/** JSON text → Go values as encoding/json decodes into interface{} (every number a float64). */
export function fromJSON(s: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (e) {
    fail((e as Error).message);
  }
  const conv = (x: unknown): unknown => {
    if (typeof x === 'number') return goFloat(x);
    if (Array.isArray(x)) return x.map(conv);
    if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, conv(e)]));
    return x;
  };
  return conv(parsed);
}

// --- YAML and TOML ---------------------------------------------------------------------------------

/** Go values → plain JavaScript for the YAML library (floats unboxed, hooks applied). */
function plain(v: unknown): unknown {
  const hook = jsonOf(v);
  if (hook) return plain(hook());
  if (v instanceof GoFloat) return v.value;
  if (typeof v === 'bigint') return v;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, e]) => [String(k), plain(e)]));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(sortedEntries(v as Record<string, unknown>).map(([k, e]) => [String(k), plain(e)]));
  return v === undefined ? null : v;
}

function toYAML(v: unknown): string {
  return YAML.stringify(plain(v), { sortMapEntries: true, indentSeq: false, lineWidth: 0 }).trim();
}

function fromYAML(s: string): unknown {
  let doc: unknown;
  try {
    doc = YAML.parse(s, { intAsBigInt: false });
  } catch (e) {
    fail((e as Error).message.split('\n')[0] ?? 'yaml error');
  }
  const conv = (x: unknown): unknown => {
    if (typeof x === 'number' && !Number.isInteger(x)) return x;
    if (Array.isArray(x)) return x.map(conv);
    if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, conv(e)]));
    return x ?? null;
  };
  return conv(doc);
}

function tomlValue(v: unknown): string {
  switch (kindOf(v)) {
    case 'string':
      return jsonString(v as string, false);
    case 'int':
      return String(v);
    case 'float': {
      const f = toNumber(v);
      const s = formatFloat(f, 'g', -1);
      return /[.eIN]/.test(s) ? s : `${s}.0`;
    }
    case 'bool':
      return v ? 'true' : 'false';
    case 'slice':
      return `[${(v as unknown[]).map(tomlValue).join(', ')}]`;
    case 'map':
    case 'struct':
      return `{${sortedEntries(v as Record<string, unknown>)
        .map(([k, e]) => `${tomlKey(String(k))} = ${tomlValue(e)}`)
        .join(', ')}}`;
    default:
      fail(`toml: cannot encode a value of type ${kindOf(v)}`);
  }
}

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : jsonString(k, false);
}

/** BurntSushi/toml's layout: plain keys first, then one [table] per nested map. */
function toTOML(v: unknown, path: string[] = []): string {
  const k = kindOf(v);
  if (k !== 'map' && k !== 'struct') fail('toml: top-level values must be Go maps or structs');
  const entries = k === 'map' ? sortedEntries(v as Record<string, unknown>) : Object.entries(v as object);
  const lines: string[] = [];
  const tables: string[] = [];
  for (const [key, e] of entries) {
    if (e === null || e === undefined) continue;
    const ek = kindOf(e);
    if (ek === 'map' || ek === 'struct') {
      const sub = [...path, tomlKey(String(key))];
      const body = toTOML(e, sub);
      tables.push(`[${sub.join('.')}]${body ? `\n${body.replace(/^/gm, '  ')}` : ''}`);
    } else lines.push(`${tomlKey(String(key))} = ${tomlValue(e)}`);
  }
  return [...lines, ...(lines.length && tables.length ? [''] : []), ...tables.flatMap((t, i) => (i > 0 ? ['', t] : [t]))].join('\n').trim();
}

// --- base64 ----------------------------------------------------------------------------------------

function base64Decode(s: string, url: boolean, fn: string): string {
  const a = url ? 'A-Za-z0-9\\-_' : 'A-Za-z0-9+/';
  if (!new RegExp(`^(?:[${a}]{4})*(?:[${a}]{2}==|[${a}]{3}=)?$`).test(s)) {
    const bad = new RegExp(`[^${a}=]`).exec(s);
    fail(`${fn}: illegal base64 data at input byte ${bad ? bad.index : Math.max(0, s.length - (s.length % 4 || 4))}`);
  }
  return Buffer.from(s, url ? 'base64url' : 'base64').toString('utf8');
}

// --- conversions -----------------------------------------------------------------------------------

function strconvError(fn: string, goFn: string, s: string, range: boolean): never {
  fail(`${fn}: strconv.${goFn}: parsing ${JSON.stringify(s)}: ${range ? 'value out of range' : 'invalid syntax'}`);
}

function parseIntStrict(s: string, signed: boolean, fn: string): number | bigint {
  if (s === '') return 0;
  const goFn = signed ? 'ParseInt' : 'ParseUint';
  if (!(signed ? /^[+-]?[0-9]+$/ : /^[0-9]+$/).test(s)) strconvError(fn, goFn, s, false);
  const b = BigInt(s);
  if (signed ? b > 0x7fffffffffffffffn || b < -0x8000000000000000n : b > 0xffffffffffffffffn) strconvError(fn, goFn, s, true);
  return intValue(b);
}

export function encodingFunctions(): FuncMap {
  return {
    toJSON: defineFunc(['any'], (v) => toGoJSON(v, { escapeHTML: true, indent: '' })),
    toJSONPretty: defineFunc(['any'], (v) => toGoJSON(v, { escapeHTML: true, indent: '  ' })),
    toUnescapedJSON: defineFunc(['any'], (v) => toGoJSON(v, { escapeHTML: false, indent: '' })),
    toUnescapedJSONPretty: defineFunc(['any'], (v) => toGoJSON(v, { escapeHTML: false, indent: '  ' })),
    parseJSON: defineFunc(['string'], (s) => (s === '' ? {} : fromJSON(s))),
    toYAML: defineFunc(['any'], (v) => toYAML(v)),
    parseYAML: defineFunc(['string'], (s) => (s === '' ? {} : fromYAML(s))),
    toTOML: defineFunc(['any'], (v) => toTOML(v)),
    base64Encode: defineFunc(['string'], (s) => Buffer.from(s, 'utf8').toString('base64')),
    base64Decode: defineFunc(['string'], (s) => base64Decode(s, false, 'base64Decode')),
    base64URLEncode: defineFunc(['string'], (s) => Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_')),
    base64URLDecode: defineFunc(['string'], (s) => base64Decode(s, true, 'base64URLDecode')),
    sha256Hex: defineFunc(['string'], (s) => createHash('sha256').update(s, 'utf8').digest('hex')),
    md5sum: defineFunc(['string'], (s) => createHash('md5').update(s, 'utf8').digest('hex')),
    hmacSHA256Hex: defineFunc(['string', 'string'], (message, key) => createHmac('sha256', key).update(message, 'utf8').digest('hex')),
    parseBool: defineFunc(['string'], (s) => {
      if (s === '') return false;
      const b = parseGoBool(s);
      if (b === undefined) strconvError('parseBool', 'ParseBool', s, false);
      return b;
    }),
    parseFloat: defineFunc(['string'], (s) => {
      if (s === '') return new GoFloat(0);
      const f = parseFloatGo(s);
      if (f === undefined) strconvError('parseFloat', 'ParseFloat', s, false);
      return goFloat(f);
    }),
    parseInt: defineFunc(['string'], (s) => parseIntStrict(s, true, 'parseInt')),
    parseUint: defineFunc(['string'], (s) => parseIntStrict(s, false, 'parseUint')),
  };
}
