// The lexer of Go's text/template: splits a template into text, delimiters and the tokens of
// actions, with Go's trim markers (`{{- ` and ` -}}`), comments and error wording. It produces the
// whole token list at once; an error token ends it. Positions are string indexes.

export type TokenType =
  | 'error'
  | 'bool'
  | 'char' // a lone punctuation character, such as ','
  | 'charConstant'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  | 'comment'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export interface Token {
  type: TokenType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, TokenType> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};

export function isKeyword(t: TokenType): boolean {
  return t === 'block' || t === 'break' || t === 'continue' || t === 'dot' || t === 'define' || t === 'else' || t === 'end' || t === 'if' || t === 'nil' || t === 'range' || t === 'template' || t === 'with';
}

/** Go's item.String(), used in "unexpected X in Y" messages. */
export function tokenString(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'error') return t.val;
  if (isKeyword(t.type)) return `<${t.val}>`;
  const chars = [...t.val];
  if (chars.length > 10) return `${goQuoteShort(chars.slice(0, 10).join(''))}...`;
  return goQuoteShort(t.val);
}

/** A minimal strconv.Quote for token text (tokens are printable source). */
function goQuoteShort(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}"`;
}

const EOF = -1;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

const ALNUM_RE = /^[\p{L}\p{Nd}_]$/u;
function isAlphaNumeric(c: number): boolean {
  if (c < 0) return false;
  if (c < 0x80) return c === 0x5f || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return ALNUM_RE.test(String.fromCodePoint(c));
}

/** Go's %#U of a rune: U+0041 'A'. */
export function formatRuneU(c: number): string {
  const hex = c.toString(16).toUpperCase().padStart(4, '0');
  const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(String.fromCodePoint(c));
  return printable ? `U+${hex} '${String.fromCodePoint(c)}'` : `U+${hex}`;
}

export interface LexOptions {
  leftDelim: string;
  rightDelim: string;
  /** break/continue are keywords unless a function of that name exists. */
  breakOK: boolean;
  continueOK: boolean;
}

export function lex(input: string, opts: LexOptions): Token[] {
  return new Lexer(input, opts).run();
}

type StateFn = ((l: Lexer) => StateFn) | null;

class Lexer {
  private pos = 0;
  private start = 0;
  private line = 1;
  private startLine = 1;
  private parenDepth = 0;
  private readonly tokens: Token[] = [];
  private readonly left: string;
  private readonly right: string;

  constructor(
    private readonly input: string,
    private readonly opts: LexOptions,
  ) {
    this.left = opts.leftDelim || '{{';
    this.right = opts.rightDelim || '}}';
  }

  run(): Token[] {
    let state: StateFn = lexText;
    while (state !== null) state = state(this);
    return this.tokens;
  }

  // --- primitives -------------------------------------------------------------------------------

  next(): number {
    if (this.pos >= this.input.length) {
      this.pos = this.input.length + 1; // so backup() restores the end
      return EOF;
    }
    const c = this.input.codePointAt(this.pos) as number;
    this.pos += c > 0xffff ? 2 : 1;
    if (c === 0x0a) this.line++;
    return c;
  }

  peek(): number {
    return this.pos >= this.input.length ? EOF : (this.input.codePointAt(this.pos) as number);
  }

  backup(): void {
    if (this.pos > this.input.length) {
      this.pos = this.input.length;
      return;
    }
    const prev = this.input.codePointAt(this.pos - 1) as number;
    // step back over a surrogate pair as one rune
    this.pos -= prev >= 0xdc00 && prev <= 0xdfff && this.pos >= 2 ? 2 : 1;
    if (this.input.charCodeAt(this.pos) === 0x0a) this.line--;
  }

  emit(type: TokenType): StateFn {
    this.tokens.push({ type, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine });
    this.ignore();
    return lexInsideAction;
  }

  emitToken(t: Token): void {
    this.tokens.push(t);
  }

  thisToken(type: TokenType): Token {
    const t = { type, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return t;
  }

  ignore(): void {
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const c = this.next();
    if (c !== EOF && valid.includes(String.fromCodePoint(c))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const c = this.next();
      if (c === EOF || !valid.includes(String.fromCodePoint(c))) break;
    }
    this.backup();
  }

  errorf(msg: string): StateFn {
    this.tokens.push({ type: 'error', pos: this.start, val: msg, line: this.startLine });
    return null;
  }

  atRightDelim(): { delim: boolean; trim: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.right, this.pos + 2)) return { delim: true, trim: true };
    if (this.input.startsWith(this.right, this.pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  }

  atTerminator(): boolean {
    const c = this.peek();
    if (isSpace(c)) return true;
    if (c === EOF || c === 0x2e || c === 0x2c || c === 0x7c || c === 0x3a || c === 0x29 || c === 0x28) return true;
    return this.input.startsWith(this.right, this.pos);
  }

  // --- state accessors for the state functions ---------------------------------------------------

  get p(): number {
    return this.pos;
  }
  set p(v: number) {
    this.pos = v;
  }
  get s(): number {
    return this.start;
  }
  get text(): string {
    return this.input;
  }
  get leftDelim(): string {
    return this.left;
  }
  get rightDelim(): string {
    return this.right;
  }
  get depth(): number {
    return this.parenDepth;
  }
  set depth(v: number) {
    this.parenDepth = v;
  }
  get options(): LexOptions {
    return this.opts;
  }
  syncLine(): void {
    // Recount the line at pos from start (used after bulk moves over text).
    this.line = this.startLine + countNewlines(this.input, this.start, this.pos);
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to && i < s.length; i++) if (s.charCodeAt(i) === 0x0a) n++;
  return n;
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.charCodeAt(at) === 0x2d && at + 1 < s.length && isSpace(s.charCodeAt(at + 1));
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return at + 1 < s.length && isSpace(s.charCodeAt(at)) && s.charCodeAt(at + 1) === 0x2d;
}

function rightTrimLength(s: string): number {
  let i = s.length;
  while (i > 0 && isSpace(s.charCodeAt(i - 1))) i--;
  return s.length - i;
}

function leftTrimLength(s: string, at: number): number {
  let i = at;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i - at;
}

function lexText(l: Lexer): StateFn {
  const input = l.text;
  const x = input.indexOf(l.leftDelim, l.p);
  if (x >= 0) {
    if (x > l.p) {
      l.p = x;
      let trimLength = 0;
      const delimEnd = l.p + l.leftDelim.length;
      if (hasLeftTrimMarker(input, delimEnd)) trimLength = rightTrimLength(input.slice(l.s, l.p));
      l.p -= trimLength;
      l.syncLine();
      const t = l.thisToken('text');
      l.p += trimLength;
      l.syncLine();
      l.ignore();
      if (t.val.length > 0) l.emitToken(t);
    }
    return lexLeftDelim;
  }
  l.p = input.length;
  l.syncLine();
  if (l.p > l.s) l.emitToken(l.thisToken('text'));
  l.emitToken(l.thisToken('eof'));
  return null;
}

function lexLeftDelim(l: Lexer): StateFn {
  l.p += l.leftDelim.length;
  const trim = hasLeftTrimMarker(l.text, l.p);
  const afterMarker = trim ? 2 : 0;
  if (l.text.startsWith('/*', l.p + afterMarker)) {
    l.p += afterMarker;
    l.syncLine();
    l.ignore();
    return lexComment;
  }
  const t = l.thisToken('leftDelim');
  l.emitToken(t);
  l.p += afterMarker;
  l.syncLine();
  l.ignore();
  l.depth = 0;
  return lexInsideAction;
}

function lexComment(l: Lexer): StateFn {
  l.p += 2;
  const x = l.text.indexOf('*/', l.p);
  if (x < 0) return l.errorf('unclosed comment');
  l.p = x + 2;
  l.syncLine();
  const { delim, trim } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  // Comments are dropped (Go's default mode), so no token is emitted.
  if (trim) l.p += 2;
  l.p += l.rightDelim.length;
  if (trim) l.p += leftTrimLength(l.text, l.p);
  l.syncLine();
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn {
  const { trim } = l.atRightDelim();
  if (trim) {
    l.p += 2;
    l.syncLine();
    l.ignore();
  }
  l.p += l.rightDelim.length;
  const t = l.thisToken('rightDelim');
  l.emitToken(t);
  if (trim) {
    l.p += leftTrimLength(l.text, l.p);
    l.syncLine();
    l.ignore();
  }
  return lexText;
}

function lexInsideAction(l: Lexer): StateFn {
  const { delim } = l.atRightDelim();
  if (delim) {
    if (l.depth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const c = l.next();
  if (c === EOF) return l.errorf('unclosed action');
  if (isSpace(c)) {
    l.backup();
    return lexSpace;
  }
  switch (c) {
    case 0x3d: // =
      return l.emit('assign');
    case 0x3a: // :
      if (l.next() !== 0x3d) return l.errorf('expected :=');
      return l.emit('declare');
    case 0x7c: // |
      return l.emit('pipe');
    case 0x22: // "
      return lexQuote;
    case 0x60: // `
      return lexRawQuote;
    case 0x24: // $
      return lexVariable;
    case 0x27: // '
      return lexChar;
    case 0x28: // (
      l.depth++;
      return l.emit('leftParen');
    case 0x29: // )
      l.depth--;
      return l.emit('rightParen');
  }
  if (c === 0x2e && l.p < l.text.length) {
    const n = l.peek();
    if (n < 0x30 || n > 0x39) return lexField;
  }
  if (c === 0x2e || c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(c)) {
    l.backup();
    return lexIdentifier;
  }
  if (c < 0x80 && c >= 0x20 && c < 0x7f) return l.emit('char');
  return l.errorf(`unrecognized character in action: ${formatRuneU(c)}`);
}

function lexSpace(l: Lexer): StateFn {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  if (hasRightTrimMarker(l.text, l.p - 1) && l.text.startsWith(l.rightDelim, l.p - 1 + 2)) {
    l.backup();
    if (numSpaces === 1) return lexInsideAction;
  }
  return l.emit('space');
}

function lexIdentifier(l: Lexer): StateFn {
  for (;;) {
    const c = l.next();
    if (isAlphaNumeric(c)) continue;
    l.backup();
    const word = l.text.slice(l.s, l.p);
    if (!l.atTerminator()) return l.errorf(`bad character ${formatRuneU(c)}`);
    const kw = KEYWORDS[word];
    if (kw !== undefined) {
      if ((kw === 'break' && !l.options.breakOK) || (kw === 'continue' && !l.options.continueOK)) return l.emit('identifier');
      return l.emit(kw);
    }
    if (word === 'true' || word === 'false') return l.emit('bool');
    return l.emit('identifier');
  }
}

function lexField(l: Lexer): StateFn {
  return lexFieldOrVariable(l, 'field');
}

function lexVariable(l: Lexer): StateFn {
  if (l.atTerminator()) return l.emit('variable');
  return lexFieldOrVariable(l, 'variable');
}

function lexFieldOrVariable(l: Lexer, type: 'field' | 'variable'): StateFn {
  if (l.atTerminator()) return l.emit(type === 'variable' ? 'variable' : 'dot');
  let c: number;
  for (;;) {
    c = l.next();
    if (!isAlphaNumeric(c)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${formatRuneU(c)}`);
  return l.emit(type);
}

function lexChar(l: Lexer): StateFn {
  for (;;) {
    let c = l.next();
    if (c === 0x5c) {
      c = l.next();
      if (c !== EOF && c !== 0x0a) continue;
      return l.errorf('unterminated character constant');
    }
    if (c === EOF || c === 0x0a) return l.errorf('unterminated character constant');
    if (c === 0x27) break;
  }
  return l.emit('charConstant');
}

function lexNumber(l: Lexer): StateFn {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${JSON.stringify(l.text.slice(l.s, l.p))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    if (!scanNumber(l) || l.text.charCodeAt(l.p - 1) !== 0x69) return l.errorf(`bad number syntax: ${JSON.stringify(l.text.slice(l.s, l.p))}`);
    return l.emit('complex');
  }
  return l.emit('number');
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

function lexQuote(l: Lexer): StateFn {
  for (;;) {
    let c = l.next();
    if (c === 0x5c) {
      c = l.next();
      if (c !== EOF && c !== 0x0a) continue;
      return l.errorf('unterminated quoted string');
    }
    if (c === EOF || c === 0x0a) return l.errorf('unterminated quoted string');
    if (c === 0x22) break;
  }
  return l.emit('string');
}

function lexRawQuote(l: Lexer): StateFn {
  for (;;) {
    const c = l.next();
    if (c === EOF) return l.errorf('unterminated raw quoted string');
    if (c === 0x60) break;
  }
  return l.emit('rawString');
}
