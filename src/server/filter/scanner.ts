// Character-level reading for the filter parser: a cursor over the expression that reads
// go-bexpr's tokens (identifiers, keywords, numbers, quoted and raw strings) in place, and
// remembers the farthest point any alternative failed and what it expected there, so a parse
// error reports the most useful position (as PEG parsers such as go-bexpr's do). It must never
// build syntax trees; literal errors that no alternative could recover from throw FilterError.
import { FilterError } from './errors.js';

/** Thrown when an alternative does not match; the parser backtracks or reports the farthest one. */
export class NoMatch {
  readonly noMatch = true;
}

const IDENT_START = /[A-Za-z]/;
const IDENT_CHAR = /[A-Za-z0-9_/]/;
const SPACE = /[ \t\r\n]/;

export class Cursor {
  pos = 0;
  private failAt = -1;
  private expected: string[] = [];

  constructor(readonly src: string) {}

  peek(ahead = 0): string {
    return this.src[this.pos + ahead] ?? '';
  }

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  /** Skips whitespace; reports whether there was any. */
  space(): boolean {
    const start = this.pos;
    while (SPACE.test(this.peek())) this.pos++;
    return this.pos > start;
  }

  /** Notes that `what` would have been accepted at the current position. */
  expect(what: string): void {
    if (this.pos > this.failAt) {
      this.failAt = this.pos;
      this.expected = [];
    }
    if (this.pos === this.failAt && !this.expected.includes(what)) this.expected.push(what);
  }

  fail(what: string): never {
    this.expect(what);
    throw new NoMatch();
  }

  hardError(detail: string, offset = this.pos): never {
    throw new FilterError('parse', detail, this.src, offset);
  }

  /** The error for the farthest failure recorded. */
  farthestError(): FilterError {
    const at = Math.max(this.failAt, 0);
    const list = this.expected;
    const wanted = list.length <= 1 ? (list[0] ?? 'something else') : `one of ${list.slice(0, -1).join(', ')} or ${list[list.length - 1] ?? ''}`;
    return new FilterError('parse', `expected ${wanted} but found ${this.describeAt(at)}`, this.src, at);
  }

  private describeAt(at: number): string {
    const rest = this.src.slice(at);
    if (rest === '') return 'end of input';
    const m = /^(?:[A-Za-z0-9_/.-]+|==|!=|\S)/.exec(rest);
    return JSON.stringify(m?.[0] ?? rest.slice(0, 1));
  }

  /** Consumes `punct` if it is next. */
  punct(punct: string): boolean {
    if (this.src.startsWith(punct, this.pos)) {
      this.pos += punct.length;
      return true;
    }
    this.expect(JSON.stringify(punct));
    return false;
  }

  /** Consumes keyword `word` if it is next as a whole word. Keywords are not reserved: callers try them only where go-bexpr's grammar does. */
  keyword(word: string): boolean {
    if (this.src.startsWith(word, this.pos) && !IDENT_CHAR.test(this.src[this.pos + word.length] ?? '')) {
      this.pos += word.length;
      return true;
    }
    this.expect(JSON.stringify(word));
    return false;
  }

  /** Whether keyword `word` is next, without consuming it or noting it as expected. */
  isKeyword(word: string): boolean {
    return this.src.startsWith(word, this.pos) && !IDENT_CHAR.test(this.src[this.pos + word.length] ?? '');
  }

  atIdentifier(): boolean {
    return IDENT_START.test(this.peek());
  }

  /** go-bexpr's identifier: a letter, then letters, digits, `_` and `/`. */
  identifier(): string {
    if (!this.atIdentifier()) this.fail('an identifier');
    const start = this.pos;
    this.pos++;
    while (IDENT_CHAR.test(this.peek())) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** A number literal (`-`? integer or decimal), returned as written. */
  number(): string {
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?/.exec(this.src.slice(this.pos));
    if (m === null) this.fail('a number');
    const start = this.pos;
    this.pos += m[0].length;
    // go-bexpr requires whitespace, the end or ")" after a number; "}" closes an any/all body.
    const next = this.peek();
    if (next !== '' && !SPACE.test(next) && next !== ')' && next !== '}') {
      this.hardError(`invalid number literal ${JSON.stringify(this.src.slice(start, this.pos) + next)}`, start);
    }
    return m[0];
  }

  atString(): boolean {
    return this.peek() === '"' || this.peek() === '`';
  }

  /** A "double-quoted" string with Go escapes, or a `raw` string; returns its value. */
  string(): string {
    const open = this.peek();
    const start = this.pos;
    if (open === '`') {
      const close = this.src.indexOf('`', start + 1);
      if (close < 0) this.hardError('unterminated string literal (no closing `)', start);
      this.pos = close + 1;
      // Go drops carriage returns from raw strings.
      return this.src.slice(start + 1, close).replace(/\r/g, '');
    }
    if (open !== '"') this.fail('a quoted string');
    this.pos++;
    let out = '';
    for (;;) {
      const ch = this.peek();
      if (ch === '') this.hardError('unterminated string literal (no closing ")', start);
      if (ch === '\n') this.hardError('newline in string literal (use \\n, or a `raw` string)', this.pos);
      this.pos++;
      if (ch === '"') return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      out += this.escape();
    }
  }

  /** One Go escape sequence after the backslash. */
  private escape(): string {
    const at = this.pos - 1;
    const ch = this.peek();
    this.pos++;
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
    const s = simple[ch];
    if (s !== undefined) return s;
    const hex = (n: number): string => {
      const digits = this.src.slice(this.pos, this.pos + n);
      if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(digits)) this.hardError(`invalid escape \\${ch}: expected ${n} hexadecimal digits`, at);
      this.pos += n;
      const cp = Number.parseInt(digits, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.hardError(`invalid escape \\${ch}${digits}: not a Unicode code point`, at);
      return String.fromCodePoint(cp);
    };
    if (ch === 'x') return hex(2);
    if (ch === 'u') return hex(4);
    if (ch === 'U') return hex(8);
    if (ch >= '0' && ch <= '7') {
      const digits = this.src.slice(this.pos - 1, this.pos + 2);
      if (!/^[0-7]{3}$/.test(digits) || Number.parseInt(digits, 8) > 255) this.hardError(`invalid escape \\${digits}: expected three octal digits (\\000 to \\377)`, at);
      this.pos += 2;
      return String.fromCodePoint(Number.parseInt(digits, 8));
    }
    return this.hardError(ch === '' ? 'unterminated string literal' : `invalid escape \\${ch} in string literal`, at);
  }
}
