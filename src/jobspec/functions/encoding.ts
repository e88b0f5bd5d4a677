// Text encodings, per go-cty-funcs' encoding package and cty's csvdecode: base64 (standard
// alphabet, padded, strict as Go's decoder is), URL query escaping (Go's url.QueryEscape) and CSV
// with a header row (Go's encoding/csv rules). Decoded text must be valid UTF-8, since HCL strings are.
import type { Value, ValueObject } from '../hcl/value.js';
import { argError, stringArg } from './args.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { setKey } from './value-ops.js';

const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes standard padded base64 as Go's StdEncoding does (ignoring CR and LF), or undefined when malformed. */
export function decodeBase64Strict(s: string): Buffer | undefined {
  const compact = s.replace(/[\r\n]/g, '');
  return strictBase64.test(compact) ? Buffer.from(compact, 'base64') : undefined;
}

/** Bytes as a UTF-8 string, or undefined when they are not valid UTF-8. */
export function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Go's url.QueryEscape: unreserved characters kept, space as "+", everything else %XX of its UTF-8 bytes. */
function queryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Parses CSV as Go's encoding/csv does with its defaults: fields separated by commas, records by
 * LF or CRLF, blank lines skipped, quotes only around a whole field ("" inside is a quote), and
 * every record the same length as the first. Errors name the 1-based line, as Go does.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const startLine = line;
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new FunctionError(`CSV parse error on line ${startLine}: extraneous or missing " in quoted-field`);
          const c = text[i] ?? '';
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          if (c === '\r' && text[i + 1] === '\n') {
            i++;
            continue;
          }
          field += c;
          i++;
        }
        const after = text[i];
        if (after !== undefined && after !== ',' && after !== '\n' && !(after === '\r' && text[i + 1] === '\n')) {
          throw new FunctionError(`CSV parse error on line ${line}: extraneous or missing " in quoted-field`);
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new FunctionError(`CSV parse error on line ${line}: bare " in non-quoted-field`);
          field += text[i];
          i++;
        }
      }
      record.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (i < n) {
        i += text[i] === '\r' ? 2 : 1;
        line++;
      }
      break;
    }
    const first = records[0];
    if (first !== undefined && record.length !== first.length) {
      throw new FunctionError(`CSV parse error on line ${startLine}: wrong number of fields`);
    }
    records.push(record);
  }
  return records;
}

function csvdecode(args: readonly Value[]): Value {
  const text = stringArg(args, 0, 'str');
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof FunctionError) throw argError(0, 'str', err.message);
    throw err;
  }
  const [header, ...rows] = records;
  if (header === undefined) throw argError(0, 'str', 'missing header line');
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw argError(0, 'str', `duplicate column name ${JSON.stringify(name)}`);
    seen.add(name);
  }
  return rows.map((row) => {
    const obj: ValueObject = {};
    header.forEach((name, i) => setKey(obj, name, row[i] ?? ''));
    return obj;
  });
}

export const encodingFunctions: Record<string, HclFunction> = {
  base64encode: {
    params: ['str'],
    impl: (args) => Buffer.from(stringArg(args, 0, 'str'), 'utf8').toString('base64'),
  },
  base64decode: {
    params: ['str'],
    impl(args) {
      const s = stringArg(args, 0, 'str');
      const bytes = decodeBase64Strict(s);
      if (bytes === undefined) throw argError(0, 'str', `failed to decode base64 data ${JSON.stringify(s)}`);
      const text = utf8OrUndefined(bytes);
      if (text === undefined) throw argError(0, 'str', 'the result of decoding the provided string is not valid UTF-8');
      return text;
    },
  },
  urlencode: { params: ['str'], impl: (args) => queryEscape(stringArg(args, 0, 'str')) },
  csvdecode: { params: ['str'], impl: csvdecode },
};
