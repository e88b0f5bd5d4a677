// Recursive-descent parser for HCL native-syntax expressions: literals, templates, heredocs,
// tuples, objects, for-expressions, operators by HCL precedence, conditionals, traversals,
// index, splats and function calls. Syntax errors throw SyntaxFailure (caught per argument by the
// body parser); softer problems (bad escapes, unterminated strings) are pushed to `diags`.
import type { BinaryOp, Expression, ObjectItem, TraversalStep } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import type { Token } from './lexer.js';
import { rangeBetween, type Range } from './pos.js';
import { readTemplate } from './template-parser.js';
import type { TokenStream } from './token-stream.js';
import type { Value } from './value.js';

const LEVELS: readonly (readonly BinaryOp[])[] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];

export class ExprParser {
  private readonly ts: TokenStream;
  private readonly diags: Diagnostic[];
  /** UTF-16 start offset of each traversal node, to slice its source text as it grows. */
  private readonly traversalStart = new WeakMap<Expression, number>();

  constructor(ts: TokenStream, diags: Diagnostic[]) {
    this.ts = ts;
    this.diags = diags;
  }

  readonly parseExpression = (): Expression => {
    const ts = this.ts;
    const first = ts.peek();
    ts.enter(first);
    try {
      const cond = this.parseBinary(0);
      if (!ts.isPunct(ts.peek(), '?')) return cond;
      ts.next();
      const then = this.parseExpression();
      ts.expectPunct(':', 'false expression');
      const els = this.parseExpression();
      return { kind: 'conditional', cond, then, else: els, range: rangeBetween(cond.range, els.range) };
    } finally {
      ts.leave();
    }
  };

  private parseBinary(level: number): Expression {
    const ops = LEVELS[level];
    if (ops === undefined) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (;;) {
      const t = this.ts.peek();
      const op = t.type === 'punct' ? ops.find((o) => o === t.punct) : undefined;
      if (op === undefined) return left;
      this.ts.next();
      const right = this.parseBinary(level + 1);
      left = { kind: 'binary', op, left, right, range: rangeBetween(left.range, right.range), opRange: this.ts.range(t) };
    }
  }

  private parseUnary(): Expression {
    const ts = this.ts;
    const t = ts.peek();
    if (ts.isPunct(t, '!') || ts.isPunct(t, '-')) {
      ts.next();
      ts.enter(t);
      try {
        const operand = this.parseUnary();
        return { kind: 'unary', op: t.punct === '!' ? '!' : '-', operand, range: rangeBetween(ts.range(t), operand.range) };
      } finally {
        ts.leave();
      }
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): Expression {
    const ts = this.ts;
    const t = ts.peek();
    switch (t.type) {
      case 'number': {
        ts.next();
        return { kind: 'literal', value: Number(ts.textOf(t)), range: ts.range(t) };
      }
      case 'ident': {
        ts.next();
        const name = ts.textOf(t);
        if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true', range: ts.range(t) };
        if (name === 'null') return { kind: 'literal', value: null, range: ts.range(t) };
        if (ts.isPunct(ts.peekRaw(), '(')) return this.parseCall(t, name);
        const node: Expression = { kind: 'traversal', root: name, rootRange: ts.range(t), steps: [], text: name, range: ts.range(t) };
        this.traversalStart.set(node, t.start);
        return node;
      }
      case 'oquote':
      case 'oheredoc': {
        ts.next();
        const heredoc = t.type === 'oheredoc';
        const open = ts.range(t);
        const { parts, end } = readTemplate(ts, heredoc ? { close: 'cheredoc', escapes: false, flush: t.flush === true } : { close: 'cquote', escapes: true, flush: false }, open, this.parseExpression, this.diags);
        return { kind: 'template', parts, range: rangeBetween(open, ts.range(end)) };
      }
      case 'punct':
        if (t.punct === '(') {
          ts.next();
          ts.pushNewlines(false);
          try {
            const inner = this.parseExpression();
            const close = ts.expectPunct(')', 'closing parenthesis');
            return { kind: 'paren', inner, range: rangeBetween(ts.range(t), ts.range(close)) };
          } finally {
            ts.popNewlines();
          }
        }
        if (t.punct === '[') return this.parseTupleOrFor();
        if (t.punct === '{') return this.parseObjectOrFor();
        break;
      default:
        break;
    }
    return ts.fail('Invalid expression', `Expected the start of an expression, but found ${ts.describe(t)}.`, ts.range(t));
  }

  private parseCall(nameTok: Token, name: string): Expression {
    const ts = this.ts;
    ts.next(); // (
    ts.pushNewlines(false);
    try {
      const args: Expression[] = [];
      let expandFinal = false;
      for (;;) {
        const t = ts.peek();
        if (ts.isPunct(t, ')')) break;
        if (expandFinal) ts.fail('Missing closing parenthesis', 'An expanded function argument (with "...") must be immediately followed by closing parentheses.', ts.range(t));
        args.push(this.parseExpression());
        const sep = ts.peek();
        if (ts.isPunct(sep, '...')) {
          ts.next();
          expandFinal = true;
          continue;
        }
        if (ts.isPunct(sep, ',')) {
          ts.next();
          continue;
        }
        if (!ts.isPunct(sep, ')')) ts.fail('Missing argument separator', `A comma is required to separate each function argument from the next, but found ${ts.describe(sep)}.`, ts.range(sep));
      }
      const close = ts.next();
      return { kind: 'call', name, nameRange: ts.range(nameTok), args, expandFinal, range: rangeBetween(ts.range(nameTok), ts.range(close)) };
    } finally {
      ts.popNewlines();
    }
  }

  /** Whether `[`/`{` at the cursor opens a for-expression (`for` followed by an identifier). */
  private atFor(): boolean {
    const ts = this.ts;
    return ts.isKeyword(ts.peek(), 'for') && ts.peekSecond().type === 'ident';
  }

  private parseTupleOrFor(): Expression {
    const ts = this.ts;
    const open = ts.next();
    ts.pushNewlines(false);
    try {
      if (this.atFor()) return this.parseFor(open, false);
      const items: Expression[] = [];
      for (;;) {
        if (ts.isPunct(ts.peek(), ']')) break;
        items.push(this.parseExpression());
        const sep = ts.peek();
        if (ts.isPunct(sep, ',')) {
          ts.next();
          continue;
        }
        if (!ts.isPunct(sep, ']')) ts.fail('Missing item separator', `Expected a comma to mark the beginning of the next item, but found ${ts.describe(sep)}.`, ts.range(sep), ts.range(open));
      }
      const close = ts.next();
      return { kind: 'tuple', items, range: rangeBetween(ts.range(open), ts.range(close)) };
    } finally {
      ts.popNewlines();
    }
  }

  private parseObjectOrFor(): Expression {
    const ts = this.ts;
    const open = ts.next();
    ts.pushNewlines(false);
    if (this.atFor()) {
      try {
        return this.parseFor(open, true);
      } finally {
        ts.popNewlines();
      }
    }
    ts.popNewlines();
    ts.pushNewlines(true);
    try {
      const items: ObjectItem[] = [];
      for (;;) {
        let t = ts.peek();
        while (t.type === 'newline') {
          ts.next();
          t = ts.peek();
        }
        if (ts.isPunct(t, '}')) break;
        const key = this.parseObjectKey();
        const eq = ts.peek();
        if (!ts.isPunct(eq, '=') && !ts.isPunct(eq, ':')) {
          ts.fail('Missing key/value separator', `Expected an equals sign ("=") to mark the beginning of the attribute value, but found ${ts.describe(eq)}.`, ts.range(eq), ts.range(open));
        }
        ts.next();
        ts.pushNewlines(false);
        let value: Expression;
        try {
          value = this.parseExpression();
        } finally {
          ts.popNewlines();
        }
        items.push({ key, value });
        const sep = ts.peek();
        if (ts.isPunct(sep, ',') || sep.type === 'newline') {
          ts.next();
          continue;
        }
        if (!ts.isPunct(sep, '}')) ts.fail('Missing attribute separator', `Expected a newline or comma to mark the beginning of the next attribute, but found ${ts.describe(sep)}.`, ts.range(sep), ts.range(open));
      }
      const close = ts.next();
      return { kind: 'object', items, range: rangeBetween(ts.range(open), ts.range(close)) };
    } finally {
      ts.popNewlines();
    }
  }

  /** An object key: a bare identifier is a literal string; anything else is an expression. */
  private parseObjectKey(): Expression {
    const ts = this.ts;
    ts.pushNewlines(false);
    try {
      const key = this.parseExpression();
      if (key.kind === 'traversal' && key.steps.length === 0) return { kind: 'literal', value: key.root, range: key.range };
      return key;
    } finally {
      ts.popNewlines();
    }
  }

  private parseFor(open: Token, isObject: boolean): Expression {
    const ts = this.ts;
    ts.next(); // for
    const ident = (): string => {
      const t = ts.next();
      if (t.type !== 'ident') ts.fail('Invalid for expression', `Expected an iterator variable name, but found ${ts.describe(t)}.`, ts.range(t));
      return ts.textOf(t);
    };
    let keyVar: string | undefined;
    let valVar = ident();
    if (ts.isPunct(ts.peek(), ',')) {
      ts.next();
      keyVar = valVar;
      valVar = ident();
    }
    const inTok = ts.next();
    if (!ts.isKeyword(inTok, 'in')) ts.fail('Invalid for expression', `The "in" keyword must follow the for expression's variables, but found ${ts.describe(inTok)}.`, ts.range(inTok));
    const collection = this.parseExpression();
    ts.expectPunct(':', 'colon after the for expression collection');
    let keyExpr: Expression | undefined;
    if (isObject) {
      keyExpr = this.parseExpression();
      ts.expectPunct('=>', 'key/value arrow ("=>") in the object for expression');
    }
    const valExpr = this.parseExpression();
    let group = false;
    if (isObject && ts.isPunct(ts.peek(), '...')) {
      ts.next();
      group = true;
    }
    let cond: Expression | undefined;
    if (ts.isKeyword(ts.peek(), 'if')) {
      ts.next();
      cond = this.parseExpression();
    }
    const close = ts.expectPunct(isObject ? '}' : ']', isObject ? 'closing brace of the for expression' : 'closing bracket of the for expression');
    return { kind: 'for', keyVar, valVar, collection, keyExpr, valExpr, cond, group, range: rangeBetween(ts.range(open), ts.range(close)), openRange: ts.range(open) };
  }

  /** Appends a static step, growing a traversal (or starting a relative traversal). */
  private addStep(expr: Expression, step: TraversalStep, endOffset: number): Expression {
    const range = rangeBetween(expr.range, step.range);
    if (expr.kind === 'traversal') {
      const start = this.traversalStart.get(expr) ?? 0;
      const node: Expression = { ...expr, steps: [...expr.steps, step], range, text: this.ts.text.slice(start, endOffset) };
      this.traversalStart.set(node, start);
      return node;
    }
    if (expr.kind === 'relative') return { ...expr, steps: [...expr.steps, step], range };
    return { kind: 'relative', source: expr, steps: [step], range };
  }

  /** Reads `.name`, `.0` or `[key]` when `allowIndex`; returns undefined when none follows. */
  private parseTraverser(expr: Expression, allowIndex: boolean): Expression | undefined {
    const ts = this.ts;
    const t = ts.peek();
    if (ts.isPunct(t, '.')) {
      const after = ts.peekSecond();
      if (ts.isPunct(after, '*')) return undefined;
      ts.next();
      const nameTok = ts.next();
      // An attribute step's range starts at its dot, as HCL's does.
      if (nameTok.type === 'ident') return this.addStep(expr, { kind: 'attr', name: ts.textOf(nameTok), range: ts.map.range(t.start, nameTok.end) }, nameTok.end);
      if (nameTok.type === 'number') {
        // `a.0.1` scans "0.1" as one number: it is two legacy index steps.
        const text = ts.textOf(nameTok);
        if (!/^\d+(\.\d+)?$/.test(text)) ts.fail('Invalid legacy index', 'A legacy index (".0") must be a whole number.', ts.range(nameTok));
        let out = expr;
        let off = nameTok.start;
        for (const part of text.split('.')) {
          out = this.addStep(out, { kind: 'index', key: Number(part), range: ts.map.range(off, off + part.length) }, off + part.length);
          off += part.length + 1;
        }
        return out;
      }
      return ts.fail('Invalid attribute name', `An attribute name is required after a dot, but found ${ts.describe(nameTok)}.`, ts.range(nameTok));
    }
    if (allowIndex && ts.isPunct(t, '[')) {
      if (ts.isPunct(ts.peekSecond(), '*')) return undefined;
      ts.next();
      ts.pushNewlines(false);
      try {
        const key = this.parseExpression();
        const close = ts.expectPunct(']', 'closing bracket of the index');
        const bracketRange = rangeBetween(ts.range(t), ts.range(close));
        const lit = staticKey(key);
        if (lit !== undefined) return this.addStep(expr, { kind: 'index', key: lit, range: bracketRange }, close.end);
        return { kind: 'index', collection: expr, key, range: rangeBetween(expr.range, bracketRange), bracketRange };
      } finally {
        ts.popNewlines();
      }
    }
    return undefined;
  }

  private parsePostfix(start: Expression): Expression {
    const ts = this.ts;
    let expr = start;
    for (;;) {
      const stepped = this.parseTraverser(expr, true);
      if (stepped !== undefined) {
        expr = stepped;
        continue;
      }
      const t = ts.peek();
      const second = ts.peekSecond();
      const attrSplat = ts.isPunct(t, '.') && ts.isPunct(second, '*');
      const fullSplat = ts.isPunct(t, '[') && ts.isPunct(second, '*');
      if (!attrSplat && !fullSplat) return expr;
      ts.next();
      const star = ts.next();
      let markerEnd: Range = ts.range(star);
      if (fullSplat) markerEnd = ts.range(ts.expectPunct(']', 'closing bracket of the splat'));
      const markerRange = rangeBetween(ts.range(t), markerEnd);
      let each: Expression = { kind: 'splatItem', range: markerRange };
      for (;;) {
        const next = this.parseTraverser(each, fullSplat);
        if (next === undefined) break;
        each = next;
      }
      expr = { kind: 'splat', source: expr, each, attrOnly: attrSplat, range: rangeBetween(expr.range, each.range), markerRange };
    }
  }
}

/** The constant value of an index key written as a literal (`[0]`, `["x"]`), else undefined. */
function staticKey(key: Expression): Value | undefined {
  if (key.kind === 'literal' && (typeof key.value === 'number' || typeof key.value === 'string')) return key.value;
  if (key.kind === 'template' && key.parts.length === 1) {
    const p = key.parts[0];
    if (p?.kind === 'lit') return p.value;
  }
  if (key.kind === 'template' && key.parts.length === 0) return '';
  return undefined;
}
