// Parses a rendered `env = true` template the way Nomad does (hashicorp/go-envparse): one
// KEY=value per line; blank lines and `#` comment lines skipped; an optional `export ` prefix;
// unquoted text (a `#` starts a trailing comment, whitespace before it is dropped), 'single
// quoted' literal text and "double quoted" text with JSON escapes (\" \\ \/ \b \f \n \r \t
// \uXXXX with surrogate pairs), freely mixed within one value. Errors carry go-envparse's wording
// ("error on line N: …").

export class EnvParseError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`error on line ${line}: ${reason}`);
  }
}

const SPACE = /^[ \t\n\v\f\r\u0085\u00a0]+|[ \t\n\v\f\r\u0085\u00a0]+$/g;

function trimSpace(s: string): string {
  return s.replace(SPACE, '');
}

function quoteChar(c: string): string {
  return `'${c}'`;
}

function hexRune(s: string, at: number): number {
  if (s.length < at + 4) throw new Error('incomplete hex sequence');
  let r = 0;
  for (let i = 0; i < 4; i++) {
    const d = s.charAt(at + i);
    if (!/[0-9a-fA-F]/.test(d)) throw new Error(`invalid hex character: ${JSON.stringify(d)}`);
    r = r * 16 + parseInt(d, 16);
  }
  return r;
}

/** Parses one line; null for blank and comment lines. Throws Error with go-envparse's reason. */
function parseLine(raw: string): [string, string] | null {
  const ln = trimSpace(raw);
  if (ln === '' || ln.startsWith('#')) return null;
  const eq = ln.indexOf('=');
  if (eq < 0) throw new Error('missing =');
  let key = trimSpace(ln.slice(0, eq));
  const value = trimSpace(ln.slice(eq + 1));
  if (key.length > 'export '.length && key.startsWith('export ')) key = key.slice('export '.length);
  if (key === '') throw new Error('empty key');
  if (!/^[A-Za-z_]/.test(key)) throw new Error(`key must start with [A-Za-z_] but found ${quoteChar(key.charAt(0))}`);
  const bad = /[^A-Za-z0-9_]/.exec(key.slice(1));
  if (bad) throw new Error(`key characters must be [A-Za-z0-9_] but found ${quoteChar(bad[0])}`);
  if (value === '') return [key, ''];

  let out = '';
  let lastSig = 0;
  let mode: 'normal' | 'double' | 'single' | 'escape' = 'normal';
  for (let i = 0; i < value.length; i++) {
    const v = value.charAt(i);
    const code = value.charCodeAt(i);
    if (code < 32) throw new Error(`0x${code.toString(16).padStart(2, '0')} is an invalid value character`);
    if (code > 127) {
      if (mode === 'escape') throw new Error('multibyte characters disallowed in escape sequences');
      out += v;
      lastSig = out.length;
      continue;
    }
    switch (mode) {
      case 'normal':
        if (v === '"') mode = 'double';
        else if (v === "'") mode = 'single';
        else if (v === '#') return [key, out.slice(0, lastSig)];
        else {
          out += v;
          if (v !== ' ' && v !== '\t') lastSig = out.length;
        }
        break;
      case 'double':
        if (v === '"') mode = 'normal';
        else if (v === '\\') mode = 'escape';
        else {
          out += v;
          lastSig = out.length;
        }
        break;
      case 'escape': {
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', r: '\r', n: '\n', t: '\t' };
        const s = simple[v];
        if (s !== undefined) out += s;
        else if (v === 'u') {
          let r = hexRune(value, i + 1);
          i += 4;
          if (r >= 0xd800 && r < 0xe000) {
            if (value.length < i + 7 || value.charAt(i + 1) !== '\\' || value.charAt(i + 2) !== 'u') throw new Error('incomplete Unicode surrogate pair');
            const r2 = hexRune(value, i + 3);
            i += 6;
            r = r < 0xdc00 && r2 >= 0xdc00 && r2 < 0xe000 ? (r - 0xd800) * 0x400 + (r2 - 0xdc00) + 0x10000 : 0xfffd;
          }
          out += String.fromCodePoint(r);
        } else throw new Error(`invalid escape sequence: ${JSON.stringify(v)}`);
        lastSig = out.length;
        mode = 'double';
        break;
      }
      case 'single':
        if (v === "'") mode = 'normal';
        else {
          out += v;
          lastSig = out.length;
        }
        break;
    }
  }
  if (mode === 'double') throw new Error('unmatched "');
  if (mode === 'single') throw new Error("unmatched '");
  if (mode === 'escape') throw new Error('incomplete escape sequence');
  return [key, out];
}

/** Parses a whole env file into a map (later lines win). Throws EnvParseError. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    let kv: [string, string] | null;
    try {
      kv = parseLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    } catch (err) {
      throw new EnvParseError(i + 1, err instanceof Error ? err.message : String(err));
    }
    if (kv) env[kv[0]] = kv[1];
  });
  return env;
}
