// The native-syntax entry point: parseHCL(text, filename) scans and parses a whole file into a
// NativeBody. Parsing never throws and always returns a body; syntax errors are positioned
// diagnostics, and the parser resumes at the next line so one typo yields one error.
import type { Attribute, Expression, File } from './ast.js';
import { errorDiag, type Diagnostic } from './diagnostics.js';
import { ExprParser } from './expr-parser.js';
import { scan, type Token } from './lexer.js';
import { NativeBody, type NativeBlock } from './native-body.js';
import { formatRange, rangeBetween, rangeStart, SourceMap, type Pos, type Range } from './pos.js';
import { readTemplate } from './template-parser.js';
import { SyntaxFailure, TokenStream } from './token-stream.js';

export interface ParseResult {
  file: File;
  diagnostics: Diagnostic[];
}

class BodyParser {
  private readonly ts: TokenStream;
  private readonly exprs: ExprParser;
  private readonly diags: Diagnostic[];

  constructor(ts: TokenStream, diags: Diagnostic[]) {
    this.ts = ts;
    this.diags = diags;
    this.exprs = new ExprParser(ts, diags);
  }

  /** Runs one parse step; a SyntaxFailure is recorded and the cursor moved to the next line. */
  private guarded(step: () => void): void {
    const depth = this.ts.depth;
    try {
      step();
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      this.diags.push(e.diag);
      this.ts.resetNewlines();
      this.ts.depth = depth;
      this.ts.recoverToNewline();
    }
  }

  /** Parses items until `}` (left unconsumed) when inBlock, or until the end of the file. */
  parseBody(open: Token | undefined): { attributes: Map<string, Attribute>; blocks: NativeBlock[]; end: Token } {
    const ts = this.ts;
    const attributes = new Map<string, Attribute>();
    const blocks: NativeBlock[] = [];
    for (;;) {
      const t = ts.peek();
      if (t.type === 'newline') {
        ts.next();
        continue;
      }
      if (t.type === 'eof') {
        if (open !== undefined) {
          this.diags.push(
            errorDiag(
              'Unclosed configuration block',
              'There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.',
              ts.range(open),
            ),
          );
        }
        return { attributes, blocks, end: t };
      }
      if (ts.isPunct(t, '}')) {
        if (open !== undefined) return { attributes, blocks, end: t };
        this.diags.push(errorDiag('Argument or block definition required', 'An argument or block definition is required here; this closing brace has no matching opening brace.', ts.range(t)));
        ts.next();
        continue;
      }
      const before = t;
      this.guarded(() => this.parseItem(attributes, blocks, false));
      // Always make progress, whatever the item parser did.
      if (ts.peekRaw() === before) ts.nextRaw();
    }
  }

  private parseItem(attributes: Map<string, Attribute>, blocks: NativeBlock[], singleLine: boolean): void {
    const ts = this.ts;
    const nameTok = ts.next();
    if (nameTok.type !== 'ident') {
      ts.fail('Argument or block definition required', `An argument or block definition is required here, but found ${ts.describe(nameTok)}.`, ts.range(nameTok));
    }
    const name = ts.textOf(nameTok);
    const after = ts.peek();
    if (ts.isPunct(after, '=')) {
      ts.next();
      const expr = this.exprs.parseExpression();
      this.addAttribute(attributes, { name, expr, range: rangeBetween(ts.range(nameTok), expr.range), nameRange: ts.range(nameTok) });
      this.endOfItem(singleLine, 'Missing newline after argument', 'An argument definition must end with a newline.');
      return;
    }
    if (after.type === 'oquote' || after.type === 'ident' || ts.isPunct(after, '{')) {
      if (singleLine) ts.fail('Invalid single-argument block definition', 'A single-line block definition may contain only a single argument definition; nested blocks need their own lines.', ts.range(nameTok));
      blocks.push(this.parseBlock(nameTok, name));
      return;
    }
    const detail = ts.isPunct(after, ':')
      ? 'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.'
      : `An argument or block definition is required here, but found ${ts.describe(after)} after "${name}". To set an argument, use the equals sign "=" to introduce the argument value.`;
    ts.fail('Argument or block definition required', detail, ts.range(after));
  }

  private endOfItem(singleLine: boolean, summary: string, detail: string): void {
    const ts = this.ts;
    const t = ts.peek();
    if (t.type === 'newline') {
      ts.next();
      return;
    }
    if (t.type === 'eof') return;
    if (singleLine && ts.isPunct(t, '}')) return;
    if (!singleLine && ts.isPunct(t, '}')) return; // the enclosing block's closing brace ends this item too
    ts.fail(summary, `${detail} Found ${ts.describe(t)} instead.`, ts.range(t));
  }

  private addAttribute(attributes: Map<string, Attribute>, attr: Attribute): void {
    const prev = attributes.get(attr.name);
    if (prev !== undefined) {
      this.diags.push(errorDiag('Attribute redefined', `The argument "${attr.name}" was already set at ${formatRange(prev.nameRange)}. Each argument may be set only once.`, attr.nameRange));
      return;
    }
    attributes.set(attr.name, attr);
  }

  private parseLabel(): { label: string; range: Range } | undefined {
    const ts = this.ts;
    const t = ts.peek();
    if (t.type === 'ident') {
      ts.next();
      return { label: ts.textOf(t), range: ts.range(t) };
    }
    if (t.type !== 'oquote') return undefined;
    ts.next();
    const open = ts.range(t);
    const { parts, end } = readTemplate(ts, { close: 'cquote', escapes: true, flush: false }, open, this.exprs.parseExpression, this.diags);
    const range = rangeBetween(open, ts.range(end));
    let label = '';
    for (const p of parts) {
      if (p.kind === 'lit') label += p.value;
      else ts.fail('Invalid block label', 'Template sequences are not allowed in block labels.', p.range, range);
    }
    return { label, range };
  }

  private parseBlock(typeTok: Token, type: string): NativeBlock {
    const ts = this.ts;
    const labels: string[] = [];
    const labelRanges: Range[] = [];
    for (;;) {
      const l = this.parseLabel();
      if (l === undefined) break;
      labels.push(l.label);
      labelRanges.push(l.range);
    }
    const open = ts.peek();
    if (!ts.isPunct(open, '{')) {
      ts.fail('Invalid block definition', `Either a quoted string block label or an opening brace ("{") is expected here, but found ${ts.describe(open)}.`, ts.range(open), ts.range(typeTok));
    }
    ts.next();
    ts.enter(open);
    const typeRange = ts.range(typeTok);
    const openBraceRange = ts.range(open);
    const defRange = rangeBetween(typeRange, openBraceRange);
    let attributes = new Map<string, Attribute>();
    let blocks: NativeBlock[] = [];
    let close: Token;
    try {
      if (ts.peek().type === 'newline') {
        const parsed = this.parseBody(open);
        attributes = parsed.attributes;
        blocks = parsed.blocks;
        close = parsed.end;
      } else {
        // One-line block: `a "b" { x = 1 }` or `a {}`.
        if (!ts.isPunct(ts.peek(), '}')) this.parseItem(attributes, blocks, true);
        close = ts.peek();
        if (!ts.isPunct(close, '}')) {
          ts.fail('Invalid single-argument block definition', `A single-line block definition must end with a closing brace immediately after its single argument definition, but found ${ts.describe(close)}.`, ts.range(close), defRange);
        }
      }
    } finally {
      ts.leave();
    }
    const closeBraceRange = ts.range(close);
    if (close.type !== 'eof') {
      ts.next();
      this.endOfItem(false, 'Missing newline after block definition', 'A block definition must end with a newline.');
    }
    const body = new NativeBody(attributes, blocks, rangeBetween(openBraceRange, closeBraceRange), openBraceRange);
    return { type, labels, labelRanges, body, typeRange, defRange, openBraceRange, closeBraceRange };
  }

  parseExpressionOnly(): Expression | undefined {
    let expr: Expression | undefined;
    this.ts.pushNewlines(false);
    this.guarded(() => {
      this.ts.pushNewlines(false);
      expr = this.exprs.parseExpression();
      const t = this.ts.peek();
      if (t.type !== 'eof') this.ts.fail('Extra characters after expression', `An expression was successfully parsed, but extra characters were found after it: ${this.ts.describe(t)}.`, this.ts.range(t));
    });
    return expr;
  }

  parseTemplateOnly(open: Range): Expression {
    let parts: Expression | undefined;
    const ts = this.ts;
    this.guarded(() => {
      const r = readTemplate(ts, { close: 'eof', escapes: false, flush: false }, open, this.exprs.parseExpression, this.diags);
      parts = { kind: 'template', parts: r.parts, range: rangeBetween(open, ts.range(r.end)) };
    });
    return parts ?? { kind: 'template', parts: [], range: open };
  }
}

export function parseHCL(text: string, filename: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const map = new SourceMap(text, filename);
  const ts = new TokenStream(text, scan(text), map);
  const parser = new BodyParser(ts, diagnostics);
  const { attributes, blocks, end } = parser.parseBody(undefined);
  const range = map.range(0, end.end);
  const body = new NativeBody(attributes, blocks, range, rangeStart(range));
  return { file: { body, bytes: new TextEncoder().encode(text) }, diagnostics };
}

/** Parses a standalone native-syntax expression (a `-var` value, a JSON string read as an expression). */
export function parseExpression(text: string, filename: string, start?: Pos): { expr: Expression | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const map = new SourceMap(text, filename, start);
  const parser = new BodyParser(new TokenStream(text, scan(text), map), diagnostics);
  const ts = parser.parseExpressionOnly();
  return { expr: ts, diagnostics };
}

/** Parses text as bare template content (the inside of a JSON string, which is a template). */
export function parseTemplate(text: string, filename: string, start?: Pos): { expr: Expression; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const map = new SourceMap(text, filename, start);
  const ts = new TokenStream(text, scan(text, { template: true }), map);
  const expr = new BodyParser(ts, diagnostics).parseTemplateOnly(map.range(0, 0));
  return { expr, diagnostics };
}
