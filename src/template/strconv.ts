// The parts of Go's strconv the template language needs: unquoting string and char literals,
// number literals with Go's syntax (hex, octal, binary, underscores), and strconv.Quote for
// printf's %q. Byte escapes (\xff) are decoded as UTF-8; invalid sequences become U+FFFD, since a
// JavaScript string cannot hold raw bytes.

export class SyntaxError_ extends Error {}

const PRINTABLE_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's unicode.IsPrint. */
export function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  return PRINTABLE_RE.test(String.fromCodePoint(cp));
}

/** strconv.Unquote of a "…", `…` or '…' literal; throws SyntaxError_("invalid syntax"). */
export function unquote(s: string): string {
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) throw new SyntaxError_('invalid syntax');
  const body = s.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError_('invalid syntax');
    return body.replace(/\r/g, '');
  }
  if (q !== '"' && q !== "'") throw new SyntaxError_('invalid syntax');
  if (q === '"' && body.includes('\n')) throw new SyntaxError_('invalid syntax');
  const { value, rest } = unquoteBody(body, q);
  if (rest !== '') throw new SyntaxError_('invalid syntax');
  if (q === "'" && [...value].length !== 1) throw new SyntaxError_('invalid syntax');
  return value;
}

/** Decodes a char constant ('a', '\n', '\u00e9') to its code point. */
export function unquoteChar(literal: string): number {
  const v = unquote(literal);
  return v.codePointAt(0) as number;
}

function unquoteBody(body: string, quote: string): { value: string; rest: string } {
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) {
      out += Buffer.from(bytes).toString('utf8');
      bytes = [];
    }
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (c === quote && quote === "'") throw new SyntaxError_('invalid syntax');
    if (c !== '\\') {
      flush();
      const cp = body.codePointAt(i) as number;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    switch (e) {
      case 'a':
        flush();
        out += '\x07';
        break;
      case 'b':
        flush();
        out += '\b';
        break;
      case 'f':
        flush();
        out += '\f';
        break;
      case 'n':
        flush();
        out += '\n';
        break;
      case 'r':
        flush();
        out += '\r';
        break;
      case 't':
        flush();
        out += '\t';
        break;
      case 'v':
        flush();
        out += '\v';
        break;
      case '\\':
        flush();
        out += '\\';
        break;
      case '"':
      case "'":
        if (e !== quote) throw new SyntaxError_('invalid syntax');
        flush();
        out += e;
        break;
      case 'x': {
        const h = body.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new SyntaxError_('invalid syntax');
        i += 2;
        const b = parseInt(h, 16);
        if (quote === "'") {
          flush();
          out += String.fromCodePoint(b);
        } else bytes.push(b);
        break;
      }
      case 'u':
      case 'U': {
        const n = e === 'u' ? 4 : 8;
        const h = body.slice(i, i + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw new SyntaxError_('invalid syntax');
        i += n;
        const cp = parseInt(h, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new SyntaxError_('invalid syntax');
        flush();
        out += String.fromCodePoint(cp);
        break;
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const o = body.slice(i - 1, i + 2);
          if (!/^[0-7]{3}$/.test(o)) throw new SyntaxError_('invalid syntax');
          i += 2;
          const b = parseInt(o, 8);
          if (b > 255) throw new SyntaxError_('invalid syntax');
          if (quote === "'") {
            flush();
            out += String.fromCodePoint(b);
          } else bytes.push(b);
          break;
        }
        throw new SyntaxError_('invalid syntax');
      }
    }
  }
  flush();
  return { value: out, rest: '' };
}

/** Go's underscoreOK: underscores only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1] as string)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseInt(s, 0, 64) (signed) or ParseUint (unsigned); undefined on any error. */
export function parseIntBase0(text: string, signed: boolean): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    if (!signed) return undefined;
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '') return undefined;
  let base = 10;
  let digits = s;
  if (s[0] === '0' && s.length > 1) {
    const p = (s[1] as string).toLowerCase();
    if (p === 'x') {
      base = 16;
      digits = s.slice(2);
    } else if (p === 'o') {
      base = 8;
      digits = s.slice(2);
    } else if (p === 'b') {
      base = 2;
      digits = s.slice(2);
    } else {
      base = 8;
      digits = s.slice(1);
    }
  }
  if (digits.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    digits = digits.replace(/_/g, '');
  }
  if (digits === '') return undefined;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  let v = BigInt(prefix + digits);
  if (neg) v = -v;
  if (signed ? v > 0x7fffffffffffffffn || v < -0x8000000000000000n : v > 0xffffffffffffffffn) return undefined;
  return v;
}

/** strconv.ParseFloat(s, 64) for Go literals; undefined on syntax or range errors. */
export function parseFloatLiteral(text: string): number | undefined {
  let s = text;
  if (s.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    s = s.replace(/_/g, '');
  }
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(s);
  if (m) {
    const int = m[2] ?? '';
    const frac = m[3] ?? '';
    if (int === '' && frac === '') return undefined;
    const mant = Number(BigInt(`0x${int + frac || '0'}`));
    const v = mant * 2 ** (Number(m[4]) - 4 * frac.length);
    if (!Number.isFinite(v)) return undefined;
    return m[1] === '-' ? -v : v;
  }
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** strconv.ParseFloat for arbitrary input (parseFloat function): also inf, nan. */
export function parseFloatGo(s: string): number | undefined {
  const lower = s.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower === 'nan') return NaN;
  const v = parseFloatLiteral(s);
  if (v !== undefined) return v;
  return undefined;
}

/** strconv.Quote; asciiOnly gives QuoteToASCII. */
export function quote(s: string, asciiOnly = false, q = '"'): string {
  let out = q;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    out += escapeRune(cp, q, asciiOnly);
  }
  return out + q;
}

/** strconv.QuoteRune. */
export function quoteRune(cp: number, asciiOnly = false): string {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0) cp = 0xfffd;
  return `'${escapeRune(cp, "'", asciiOnly)}'`;
}

function escapeRune(cp: number, q: string, asciiOnly: boolean): string {
  const ch = String.fromCodePoint(cp);
  if (ch === q || ch === '\\') return `\\${ch}`;
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return ch;
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** strconv.CanBackquote: %#q prints `s` raw when this holds. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp === 0x60 || cp === 0xfeff) return false;
    if (cp < 0x20 && cp !== 0x09) return false;
    if (cp === 0x7f) return false;
  }
  return true;
}

