// The parser of Go's text/template: tokens → parse trees, one per template (the main text, every
// {{define}} and {{block}}), with Go's checks (undefined variables and functions, {{break}} outside
// {{range}}, empty pipelines) and Go's error wording: `template: NAME:LINE: msg`.
import type { ArgNode, BoolNode, CommandNode, ElseNode, EndNode, ListNode, Node, NumberNode, PipeNode, StringNode, TemplateNode, VariableNode } from './ast.js';
import { isEmptyTree, nodeString } from './ast.js';
import { TemplateError } from './errors.js';
import { lex, tokenString, type Token, type TokenType } from './lexer.js';
import { parseFloatLiteral, parseIntBase0, SyntaxError_, unquote, unquoteChar } from './strconv.js';

export interface Tree {
  name: string;
  /** The name errors report (the file the template came from). */
  parseName: string;
  root: ListNode;
  text: string;
}

export interface ParseOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** Names of the functions templates may call (besides the built-ins). */
  hasFunction: (name: string) => boolean;
}

/** Parses text as template `name`; returns every template it defines, keyed by name. */
export function parseTrees(name: string, text: string, opts: ParseOptions): Map<string, Tree> {
  const tokens = lex(text, {
    leftDelim: opts.leftDelim ?? '{{',
    rightDelim: opts.rightDelim ?? '}}',
    breakOK: !opts.hasFunction('break'),
    continueOK: !opts.hasFunction('continue'),
  });
  const p = new Parser(name, text, tokens, opts);
  try {
    p.parseMain();
  } catch (e) {
    if (e instanceof RangeError) p.fail('template nested too deeply');
    throw e;
  }
  return p.treeSet;
}

export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      last = i;
    }
  }
  return { line, column: pos - last };
}

class Parser {
  readonly treeSet = new Map<string, Tree>();
  private i = 0;
  private furthest = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;

  constructor(
    private readonly parseName: string,
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly opts: ParseOptions,
  ) {}

  // --- token access ----------------------------------------------------------------------------

  private tok(i: number): Token {
    const t = this.tokens[Math.min(i, this.tokens.length - 1)] as Token;
    if (i > this.furthest) this.furthest = Math.min(i, this.tokens.length - 1);
    return t;
  }
  private next(): Token {
    const t = this.tok(this.i);
    if (this.i < this.tokens.length) this.i++;
    return t;
  }
  private backup(n = 1): void {
    this.i -= n;
  }
  private peek(): Token {
    return this.tok(this.i);
  }
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }
  private expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }
  private expectOneOf(a: TokenType, b: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== a && t.type !== b) this.unexpected(t, context);
    return t;
  }

  // --- errors -----------------------------------------------------------------------------------

  fail(msg: string): never {
    const t = this.tokens[this.furthest] ?? this.tokens[this.tokens.length - 1];
    const line = t?.line ?? 1;
    const column = t ? lineColumn(this.text, t.pos).column : 0;
    throw new TemplateError(`template: ${this.parseName}:${line}: ${msg}`, 'parse', this.parseName, line, column, msg);
  }
  private unexpected(t: Token, context: string): never {
    if (t.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.fail(`${tokenString(t)}${extra}`);
    }
    this.fail(`unexpected ${tokenString(t)} in ${context}`);
  }

  // --- trees ------------------------------------------------------------------------------------

  parseMain(): void {
    const root = this.list(this.peek().pos);
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        this.next();
        const save = this.i;
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save - 1;
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.fail(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
    this.add({ name: this.parseName, parseName: this.parseName, root, text: this.text });
  }

  private add(tree: Tree): void {
    const existing = this.treeSet.get(tree.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) this.fail(`template: multiple definition of template ${JSON.stringify(tree.name)}`);
  }

  /** Parses a body in a fresh variable scope (a definition or block), then restores the outer one. */
  private inNewTree<T>(fn: () => T): T {
    const vars = this.vars;
    const depth = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    try {
      return fn();
    } finally {
      this.vars = vars;
      this.rangeDepth = depth;
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.expectOneOf('string', 'rawString', context);
    const name = this.unquoteOrFail(nameTok.val);
    this.expect('rightDelim', context);
    this.inNewTree(() => {
      const { list, end } = this.itemList();
      if (end.type !== 'end') this.fail(`unexpected ${nodeString(end)} in ${context}`);
      this.add({ name, parseName: this.parseName, root: list, text: this.text });
    });
  }

  private itemList(): { list: ListNode; end: EndNode | ElseNode } {
    const list = this.list(this.peekNonSpace().pos);
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return { list, end: n };
      list.nodes.push(n);
    }
    this.fail('unexpected EOF');
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'text':
        return { type: 'text', pos: t.pos, text: t.val };
      case 'leftDelim':
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue':
        return this.loopControl(t);
      case 'else':
        return this.elseControl();
      case 'end':
        return { type: 'end', pos: this.expect('rightDelim', 'end').pos };
      case 'if':
        return this.branch('if');
      case 'range':
        return this.branch('range');
      case 'template':
        return this.templateControl();
      case 'with':
        return this.branch('with');
      default:
        break;
    }
    this.backup();
    const tok = this.peek();
    return { type: 'action', pos: tok.pos, line: tok.line, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(t: Token): Node {
    const name = t.type === 'break' ? 'break' : 'continue';
    const n = this.nextNonSpace();
    if (n.type !== 'rightDelim') this.unexpected(n, `{{${name}}}`);
    if (this.rangeDepth === 0) this.fail(`{{${name}}} outside {{range}}`);
    return { type: name, pos: t.pos, line: t.line };
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.type === 'if' || peek.type === 'with') return { type: 'else', pos: peek.pos, line: peek.line };
    const t = this.expect('rightDelim', 'else');
    return { type: 'else', pos: t.pos, line: t.line };
  }

  private branch(context: 'if' | 'range' | 'with'): Node {
    const outerVars = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const first = this.itemList();
      const list = first.list;
      let end = first.end;
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (end.type === 'else') {
        // {{else if …}} / {{else with …}} nest a new branch in the else list; one {{end}} closes both.
        const p = this.peek().type;
        if ((context === 'if' && p === 'if') || (context === 'with' && p === 'with')) {
          this.next();
          elseList = this.list(end.pos);
          elseList.nodes.push(this.branch(context));
        } else {
          const r = this.itemList();
          elseList = r.list;
          end = r.end;
          if (end.type !== 'end') this.fail(`expected end; found ${nodeString(end)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = outerVars;
    }
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, 'rightDelim');
    this.inNewTree(() => {
      const { list, end } = this.itemList();
      if (end.type !== 'end') this.fail(`unexpected ${nodeString(end)} in ${context}`);
      this.add({ name, parseName: this.parseName, root: list, text: this.text });
    });
    return { type: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private templateName(t: Token, context: string): string {
    if (t.type === 'string' || t.type === 'rawString') return this.unquoteOrFail(t.val);
    this.unexpected(t, context);
  }

  private unquoteOrFail(s: string): string {
    try {
      return unquote(s);
    } catch (e) {
      if (e instanceof SyntaxError_) this.fail(e.message);
      throw e;
    }
  }

  // --- pipelines --------------------------------------------------------------------------------

  private pipeline(context: string, end: TokenType): PipeNode {
    const t = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: t.pos, line: t.line, isAssign: false, decl: [], cmds: [] };
    this.declarations(pipe, context);
    for (;;) {
      const tok = this.nextNonSpace();
      if (tok.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (tok.type) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(tok, context);
      }
    }
  }

  private declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') return;
      const start = this.i;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        return;
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue;
          this.fail('range can only initialize variables');
        }
        this.fail(`too many declarations in ${context}`);
      }
      this.i = start;
      return;
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]?.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') this.fail(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().type !== 'field') return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.fail(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
      default:
        return { type: 'chain', pos: chainPos, node, field: fields };
    }
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!this.opts.hasFunction(t.val)) this.fail(`function ${JSON.stringify(t.val)} not defined`);
        return { type: 'identifier', pos: t.pos, ident: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable':
        return this.useVar(t);
      case 'field':
        return { type: 'field', pos: t.pos, ident: [t.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' } satisfies BoolNode;
      case 'charConstant':
      case 'complex':
      case 'number':
        return this.number(t);
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { type: 'string', pos: t.pos, quoted: t.val, text: this.unquoteOrFail(t.val) } satisfies StringNode;
      default:
        this.backup();
        return null;
    }
  }

  private useVar(t: Token): VariableNode {
    const ident = t.val.split('.');
    if (!this.vars.includes(ident[0] as string)) this.fail(`undefined variable ${JSON.stringify(ident[0])}`);
    return { type: 'variable', pos: t.pos, ident };
  }

  private number(t: Token): NumberNode {
    const n: NumberNode = { type: 'number', pos: t.pos, text: t.val, isInt: false, isFloat: false, int: 0, float: 0, isChar: false };
    if (t.type === 'charConstant') {
      let cp: number;
      try {
        cp = unquoteChar(t.val);
      } catch {
        this.fail(`malformed character constant: ${t.val}`);
      }
      return { ...n, isInt: true, isFloat: true, int: cp, float: cp, isChar: true };
    }
    if (t.type === 'complex' || t.val.endsWith('i')) this.fail(`complex numbers are not supported: ${JSON.stringify(t.val)}`);
    const u = parseIntBase0(t.val, false);
    const i = parseIntBase0(t.val, true);
    if (i !== undefined) {
      n.isInt = true;
      n.int = i >= BigInt(Number.MIN_SAFE_INTEGER) && i <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(i) : i;
      n.isFloat = true;
      n.float = Number(i);
    } else if (u !== undefined) {
      this.fail(`${t.val} overflows int`);
    } else {
      const f = parseFloatLiteral(t.val);
      if (f !== undefined) {
        if (!/[.eEpP]/.test(t.val)) this.fail(`integer overflow: ${JSON.stringify(t.val)}`);
        n.isFloat = true;
        n.float = f;
        if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
          n.isInt = true;
          n.int = Number.isSafeInteger(f) ? f : BigInt(f);
        }
      }
    }
    if (!n.isInt && !n.isFloat) this.fail(`illegal number syntax: ${JSON.stringify(t.val)}`);
    return n;
  }

  private list(pos: number): ListNode {
    return { type: 'list', pos, nodes: [] };
  }
}
