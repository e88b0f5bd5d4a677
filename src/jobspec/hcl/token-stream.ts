// The parser's cursor over scanned tokens: peeking with or without significant newlines (newlines
// end arguments in bodies and separate object items, but are insignificant inside parentheses,
// brackets and template interpolations), positions for tokens, and the internal SyntaxFailure
// the expression parser throws to abandon one argument. A SyntaxFailure never escapes the parser.
import { errorDiag, type Diagnostic } from './diagnostics.js';
import type { Token } from './lexer.js';
import type { Range, SourceMap } from './pos.js';

export class SyntaxFailure extends Error {
  readonly diag: Diagnostic;
  constructor(diag: Diagnostic) {
    super(diag.summary);
    this.diag = diag;
  }
}

const MAX_DEPTH = 256;

export class TokenStream {
  readonly text: string;
  readonly map: SourceMap;
  private readonly tokens: Token[];
  private i = 0;
  private readonly newlineStack: boolean[] = [true];
  depth = 0;

  constructor(text: string, tokens: Token[], map: SourceMap) {
    this.text = text;
    this.tokens = tokens;
    this.map = map;
  }

  pushNewlines(significant: boolean): void {
    this.newlineStack.push(significant);
  }
  popNewlines(): void {
    this.newlineStack.pop();
  }
  private get newlinesSignificant(): boolean {
    return this.newlineStack[this.newlineStack.length - 1] ?? true;
  }

  /** Index of the next token under the current newline rule; does not move the cursor. */
  private cursor(): number {
    let j = this.i;
    if (!this.newlinesSignificant) while (this.tokens[j]?.type === 'newline') j++;
    return j;
  }

  peek(): Token {
    return this.tokens[this.cursor()] ?? this.eofToken();
  }

  /** The token after the next one, with the same newline rule. */
  peekSecond(): Token {
    let j = this.cursor() + 1;
    if (!this.newlinesSignificant) while (this.tokens[j]?.type === 'newline') j++;
    return this.tokens[j] ?? this.eofToken();
  }

  next(): Token {
    const j = this.cursor();
    const t = this.tokens[j] ?? this.eofToken();
    this.i = Math.min(j + 1, this.tokens.length - 1);
    return t;
  }

  /** The raw next token, newline or not (template scanning). */
  nextRaw(): Token {
    const t = this.tokens[this.i] ?? this.eofToken();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  peekRaw(): Token {
    return this.tokens[this.i] ?? this.eofToken();
  }

  private eofToken(): Token {
    return { type: 'eof', start: this.text.length, end: this.text.length };
  }

  isPunct(t: Token, p: string): boolean {
    return t.type === 'punct' && t.punct === p;
  }
  isKeyword(t: Token, word: string): boolean {
    return t.type === 'ident' && this.textOf(t) === word;
  }

  textOf(t: Token): string {
    return this.text.slice(t.start, t.end);
  }

  range(t: Token): Range {
    return this.map.range(t.start, t.end);
  }

  /** How a token is named in "… but found X" messages. */
  describe(t: Token): string {
    switch (t.type) {
      case 'newline':
        return 'a newline';
      case 'eof':
        return 'the end of the file';
      case 'oquote':
        return 'a quoted string';
      case 'oheredoc':
        return 'a heredoc';
      case 'invalid':
        return t.problem ?? 'an invalid character';
      default:
        return JSON.stringify(this.textOf(t));
    }
  }

  fail(summary: string, detail: string, subject: Range, context?: Range): never {
    throw new SyntaxFailure(errorDiag(summary, detail, subject, context));
  }

  expectPunct(p: string, what: string): Token {
    const t = this.peek();
    if (!this.isPunct(t, p)) this.fail(`Missing ${what}`, `Expected "${p}", but found ${this.describe(t)}.`, this.range(t));
    return this.next();
  }

  enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) this.fail('Nesting too deep', `Expressions and blocks may nest at most ${MAX_DEPTH} levels.`, this.range(t));
  }
  leave(): void {
    this.depth--;
  }

  /**
   * Skips to the end of the current line at nesting depth zero, or to a closing brace that
   * would close the enclosing block, so parsing can resume after an error.
   */
  recoverToNewline(): void {
    let depth = 0;
    for (;;) {
      const t = this.peekRaw();
      if (t.type === 'eof') return;
      if (t.type === 'newline' && depth <= 0) return;
      if (t.type === 'punct') {
        if (t.punct === '{' || t.punct === '[' || t.punct === '(') depth++;
        else if (t.punct === '}' || t.punct === ']' || t.punct === ')') {
          if (depth === 0 && t.punct === '}') return;
          depth--;
        }
      }
      this.nextRaw();
    }
  }

  /** Restores the newline rule of bodies after a SyntaxFailure abandoned an expression. */
  resetNewlines(): void {
    this.newlineStack.length = 1;
  }
}
