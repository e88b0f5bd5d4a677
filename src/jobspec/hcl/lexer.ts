// The HCL native-syntax scanner: turns source text into a flat token array. Templates nest inside
// expressions and expressions inside templates, so the scanner keeps a stack of modes (expression,
// quoted template, heredoc template, bare template). Tokens hold string offsets; the parser turns
// them into positions and decodes literal text. The scanner never fails: characters it cannot
// place become 'invalid' tokens that the parser reports.

export type TokenType =
  | 'ident'
  | 'number'
  | 'newline'
  | 'eof'
  | 'invalid'
  | 'oquote'
  | 'cquote'
  | 'oheredoc'
  | 'cheredoc'
  | 'literal'
  | 'interp'
  | 'control'
  | 'seqend'
  | 'punct'
  /** Only with `ScanOptions.comments`: a `#` or `//` comment (with its newline), or a block comment. */
  | 'comment';

export interface Token {
  type: TokenType;
  /** UTF-16 offsets into the scanned text. */
  start: number;
  end: number;
  /** The punctuation for 'punct' tokens ("==", "{", "..."). */
  punct?: string;
  /** `${~`, `%{~` or `~}`: whitespace next to this marker is stripped. */
  strip?: boolean;
  /** For 'oheredoc': the marker, and whether it is an indented (`<<-`) heredoc. */
  marker?: string;
  flush?: boolean;
  /** For 'invalid' tokens: why the scanner could not place the text. */
  problem?: string;
}

type Mode =
  | { kind: 'expr'; braces: number; inTemplate: boolean }
  | { kind: 'quoted' }
  | { kind: 'heredoc'; marker: string }
  | { kind: 'bare' };

const PUNCT3 = ['...'];
const PUNCT2 = ['==', '!=', '<=', '>=', '&&', '||', '=>'];
const PUNCT1 = '{}[]()=!<>+-*/%?:,.';

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
const UNI_START = /^[\p{ID_Start}]$/u;
const UNI_PART = /^[\p{ID_Continue}]$/u;

export interface ScanOptions {
  /** Scan the whole text as template content (the inside of a JSON string). */
  template?: boolean;
  /**
   * Emit comments as 'comment' tokens (for the formatter). A line comment token includes its
   * terminating newline, as hclsyntax's does, so no 'newline' token follows it. The parser never
   * sets this: it ignores comments.
   */
  comments?: boolean;
}

export function scan(text: string, opts: ScanOptions = {}): Token[] {
  const tokens: Token[] = [];
  const modes: Mode[] = [opts.template ? { kind: 'bare' } : { kind: 'expr', braces: 0, inTemplate: false }];
  const n = text.length;
  let pos = 0;

  const push = (t: Token): void => {
    tokens.push(t);
  };

  /** Identifier length at p (0 if none), accepting Unicode letters. */
  const identLen = (p: number): number => {
    let q = p;
    while (q < n) {
      const c = text.charCodeAt(q);
      if (c < 128) {
        if (q === p ? isIdentStart(c) : isIdentPart(c)) {
          q++;
          continue;
        }
        break;
      }
      const cp = text.codePointAt(q) ?? 0;
      const ch = String.fromCodePoint(cp);
      if (!(q === p ? UNI_START : UNI_PART).test(ch)) break;
      q += ch.length;
    }
    return q - p;
  };

  /** Scans one template-sequence opener at pos, if any; returns true when it did. */
  const templateOpener = (): boolean => {
    const c = text[pos];
    if ((c === '$' || c === '%') && text[pos + 1] === '{') {
      const strip = text[pos + 2] === '~';
      const end = pos + (strip ? 3 : 2);
      push({ type: c === '$' ? 'interp' : 'control', start: pos, end, strip });
      pos = end;
      modes.push({ kind: 'expr', braces: 0, inTemplate: true });
      return true;
    }
    return false;
  };

  /** Scans template literal text up to a sequence opener or a stop character. */
  const literal = (stopAtQuote: boolean, escapes: boolean, stopAfterNewline: boolean): void => {
    const start = pos;
    while (pos < n) {
      const c = text[pos];
      if ((c === '$' || c === '%') && text[pos + 1] === c && text[pos + 2] === '{') {
        pos += 3;
        continue;
      }
      if ((c === '$' || c === '%') && text[pos + 1] === '{') break;
      if (stopAtQuote && c === '"') break;
      if (c === '\n') {
        if (stopAfterNewline) {
          pos++;
          break;
        }
        if (stopAtQuote) break;
      }
      if (escapes && c === '\\' && pos + 1 < n && text[pos + 1] !== '\n') {
        pos += 2;
        continue;
      }
      pos++;
    }
    if (pos > start) push({ type: 'literal', start, end: pos });
  };

  /** When pos starts a line that closes the heredoc, returns the marker's [start, end). */
  const heredocClose = (marker: string): [number, number] | undefined => {
    let p = pos;
    while (text[p] === ' ' || text[p] === '\t') p++;
    if (!text.startsWith(marker, p)) return undefined;
    // As in hclsyntax, spaces may follow the marker, and its line must end with a newline (not
    // the end of the file); the token covers the trailing spaces.
    let e = p + marker.length;
    while (text[e] === ' ' || text[e] === '\t') e++;
    if (text[e] === '\n' || (text[e] === '\r' && text[e + 1] === '\n')) return [p, e];
    return undefined;
  };

  while (pos < n) {
    const mode = modes[modes.length - 1];
    if (mode === undefined) break;
    if (mode.kind === 'quoted') {
      if (text[pos] === '"') {
        push({ type: 'cquote', start: pos, end: pos + 1 });
        pos++;
        modes.pop();
      } else if (text[pos] === '\n') {
        modes.pop(); // unterminated: the parser reports the missing quote at the newline
      } else if (!templateOpener()) {
        literal(true, true, false);
      }
      continue;
    }
    if (mode.kind === 'bare') {
      if (!templateOpener()) literal(false, false, false);
      continue;
    }
    if (mode.kind === 'heredoc') {
      if (pos === 0 || text[pos - 1] === '\n') {
        const close = heredocClose(mode.marker);
        if (close) {
          push({ type: 'cheredoc', start: close[0], end: close[1] });
          pos = close[1];
          modes.pop();
          continue;
        }
      }
      if (!templateOpener()) literal(false, false, true);
      continue;
    }
    // Expression mode.
    const c = text.charCodeAt(pos);
    const ch = text[pos] ?? '';
    // A carriage return belongs to a CRLF newline; alone it is an invalid character, as in hclsyntax.
    if (ch === ' ' || ch === '\t' || (ch === '\r' && text[pos + 1] === '\n') || ch === '\uFEFF') {
      pos++;
      continue;
    }
    if (ch === '\n') {
      push({ type: 'newline', start: pos, end: pos + 1 });
      pos++;
      continue;
    }
    if (ch === '#' || (ch === '/' && text[pos + 1] === '/')) {
      const nl = text.indexOf('\n', pos);
      if (opts.comments) {
        const end = nl === -1 ? n : nl + 1;
        push({ type: 'comment', start: pos, end });
        pos = end;
      } else {
        pos = nl === -1 ? n : nl;
      }
      continue;
    }
    if (ch === '/' && text[pos + 1] === '*') {
      const close = text.indexOf('*/', pos + 2);
      if (close === -1) {
        push({ type: 'invalid', start: pos, end: n, problem: 'Unterminated multi-line comment' });
        pos = n;
      } else {
        if (opts.comments) push({ type: 'comment', start: pos, end: close + 2 });
        pos = close + 2;
      }
      continue;
    }
    if (isDigit(c)) {
      const start = pos;
      while (isDigit(text.charCodeAt(pos))) pos++;
      if (text[pos] === '.' && isDigit(text.charCodeAt(pos + 1))) {
        pos++;
        while (isDigit(text.charCodeAt(pos))) pos++;
      }
      if (text[pos] === 'e' || text[pos] === 'E') {
        let q = pos + 1;
        if (text[q] === '+' || text[q] === '-') q++;
        if (isDigit(text.charCodeAt(q))) {
          pos = q;
          while (isDigit(text.charCodeAt(pos))) pos++;
        }
      }
      push({ type: 'number', start, end: pos });
      continue;
    }
    const il = identLen(pos);
    if (il > 0) {
      push({ type: 'ident', start: pos, end: pos + il });
      pos += il;
      continue;
    }
    if (ch === '"') {
      push({ type: 'oquote', start: pos, end: pos + 1 });
      pos++;
      modes.push({ kind: 'quoted' });
      continue;
    }
    if (ch === '<' && text[pos + 1] === '<') {
      const flush = text[pos + 2] === '-';
      const ms = pos + (flush ? 3 : 2);
      const ml = identLen(ms);
      let e = ms + ml;
      if (text[e] === '\r') e++;
      if (ml > 0 && text[e] === '\n') {
        push({ type: 'oheredoc', start: pos, end: e + 1, marker: text.slice(ms, ms + ml), flush });
        pos = e + 1;
        modes.push({ kind: 'heredoc', marker: text.slice(ms, ms + ml) });
        continue;
      }
      push({ type: 'invalid', start: pos, end: pos + 2, problem: 'Invalid heredoc introducer: "<<" or "<<-" must be followed by an identifier and a newline' });
      pos += 2;
      continue;
    }
    if (mode.inTemplate && mode.braces === 0) {
      if (ch === '}' || (ch === '~' && text[pos + 1] === '}')) {
        const strip = ch === '~';
        push({ type: 'seqend', start: pos, end: pos + (strip ? 2 : 1), strip });
        pos += strip ? 2 : 1;
        modes.pop();
        continue;
      }
    }
    const three = text.slice(pos, pos + 3);
    const two = text.slice(pos, pos + 2);
    let punct: string | undefined;
    if (PUNCT3.includes(three)) punct = three;
    else if (PUNCT2.includes(two)) punct = two;
    else if (PUNCT1.includes(ch)) punct = ch;
    if (punct !== undefined) {
      if (punct === '{') mode.braces++;
      else if (punct === '}' && mode.braces > 0) mode.braces--;
      push({ type: 'punct', start: pos, end: pos + punct.length, punct });
      pos += punct.length;
      continue;
    }
    const cp = text.codePointAt(pos) ?? 0;
    const len = cp > 0xffff ? 2 : 1;
    push({ type: 'invalid', start: pos, end: pos + len, problem: `This character is not used within the language: ${JSON.stringify(String.fromCodePoint(cp))}` });
    pos += len;
  }
  push({ type: 'eof', start: n, end: n });
  return tokens;
}
