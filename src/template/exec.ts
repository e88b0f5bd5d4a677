// The executor of Go's text/template: walks parse trees with data and functions, with Go's
// semantics (truthiness, variable scoping, range over slices, maps with sorted keys and integers,
// break/continue, template calls, missingkey modes) and Go's error wording
// (`template: NAME:LINE:COL: executing "TMPL" at <NODE>: msg`, COL in bytes from 0 as Go counts).
// It never throws anything but TemplateError.
import type { ArgNode, ChainNode, CommandNode, FieldNode, IdentifierNode, Node, NumberNode, PipeNode, RangeNode, TemplateNode, VariableNode } from './ast.js';
import { nodeString } from './ast.js';
import { BUILTINS } from './builtins.js';
import { TemplateError } from './errors.js';
import { formatValue } from './fmt/print.js';
import { goTypeOf, toSpec, type FuncMap, type FuncSpec, type ParamType } from './funcs.js';
import type { Tree } from './parser.js';
import { GoFloat, goFloat, isTrue, kindOf, methodsOf, sortedEntries, typeName, utf8Length } from './values.js';

export type MissingKeyMode = 'default' | 'zero' | 'error';

export interface ExecOptions {
  funcs: FuncMap;
  missingKey: MissingKeyMode;
  maxDepth: number;
}

/** A value with its static type: `iface` when it sits in an interface{} slot (map and slice elements). */
interface Val {
  v: unknown;
  iface: boolean;
}

interface Variable {
  name: string;
  value: Val;
}

const MISSING = Symbol('missing');
type Final = unknown;

class Break {}
class Continue {}
const BREAK = new Break();
const CONTINUE = new Continue();

export function execute(trees: ReadonlyMap<string, Tree>, main: Tree, data: unknown, opts: ExecOptions): string {
  const out: string[] = [];
  // A nil top-level value is Go's reflect.ValueOf(nil): no value at all.
  const dot: Val = { v: data === null ? undefined : data, iface: false };
  const s = new State(trees, main, out, opts, dot);
  try {
    s.walk(dot, main.root);
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    if (e instanceof RangeError && /call stack/i.test(e.message)) s.errorf(`exceeded maximum template depth (${opts.maxDepth})`);
    const msg = e instanceof Error ? e.message : String(e);
    s.errorf(`internal error: ${msg}`);
  }
  return out.join('');
}

class State {
  private vars: Variable[];
  private node: Node | null = null;
  private depth = 0;
  private readonly funcs: FuncMap;

  constructor(
    private readonly trees: ReadonlyMap<string, Tree>,
    private tmpl: Tree,
    private readonly out: string[],
    private readonly opts: ExecOptions,
    dot: Val,
  ) {
    this.vars = [{ name: '$', value: dot }];
    this.funcs = opts.funcs;
  }

  // --- errors -----------------------------------------------------------------------------------

  private at(n: Node): void {
    this.node = n;
  }

  errorf(msg: string): never {
    const tree = this.tmpl;
    const name = tree.name;
    if (this.node === null) {
      throw new TemplateError(`template: ${name}: ${msg}`, 'exec', tree.parseName, 0, 0, msg);
    }
    const pos = this.node.pos;
    const before = tree.text.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const byteCol = utf8Length(before.slice(nl + 1));
    const context = nodeString(this.node);
    throw new TemplateError(`template: ${tree.parseName}:${line}:${byteCol}: executing ${JSON.stringify(name)} at <${context}>: ${msg}`, 'exec', tree.parseName, line, pos - nl, msg);
  }

  // --- variables --------------------------------------------------------------------------------

  private push(name: string, value: Val): void {
    this.vars.push({ name, value });
  }
  private mark(): number {
    return this.vars.length;
  }
  private pop(mark: number): void {
    this.vars.length = mark;
  }
  private setTopVar(n: number, value: Val): void {
    const v = this.vars[this.vars.length - n];
    if (v) v.value = value;
  }
  private setVar(name: string, value: Val): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private varValue(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v.value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- walking ----------------------------------------------------------------------------------

  walk(dot: Val, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'if':
      case 'with': {
        const mark = this.mark();
        try {
          const val = this.evalPipeline(dot, node.pipe);
          if (isTrue(val)) this.walk(node.type === 'with' ? { v: val, iface: false } : dot, node.list);
          else if (node.elseList) this.walk(dot, node.elseList);
        } finally {
          this.pop(mark);
        }
        return;
      }
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'text':
        this.out.push(node.text);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkRange(dot: Val, r: RangeNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.mark();
      const one = (index: Val, elem: Val): boolean => {
        if (r.pipe.decl.length > 0) this.setTopVar(1, elem);
        if (r.pipe.decl.length > 1) this.setTopVar(2, index);
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e === BREAK) return false;
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
        return true;
      };
      let ran = false;
      switch (kindOf(val)) {
        case 'slice': {
          const arr = val as unknown[];
          for (let i = 0; i < arr.length; i++) {
            ran = true;
            const e = arr[i];
            if (!one({ v: i, iface: false }, { v: e, iface: kindOf(e) !== 'struct' })) break;
          }
          break;
        }
        case 'map':
          for (const [k, e] of sortedEntries(val as Record<string, unknown>)) {
            ran = true;
            if (!one({ v: k, iface: false }, { v: e, iface: kindOf(e) !== 'struct' })) break;
          }
          break;
        case 'int': {
          if (r.pipe.decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
          const n = Number(val);
          for (let i = 0; i < n; i++) {
            ran = true;
            if (!one({ v: i, iface: false }, { v: i, iface: false })) break;
          }
          break;
        }
        case 'invalid':
        case 'nil':
          break;
        default:
          this.errorf(`range can't iterate over ${formatValue(val)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: Val, t: TemplateNode): void {
    this.at(t);
    const tmpl = this.trees.get(t.name);
    if (tmpl === undefined) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= this.opts.maxDepth) this.errorf(`exceeded maximum template depth (${this.opts.maxDepth})`);
    const v = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    const saved = { vars: this.vars, tmpl: this.tmpl, node: this.node };
    this.depth++;
    this.tmpl = tmpl;
    const newDot = { v, iface: false };
    this.vars = [{ name: '$', value: newDot }];
    try {
      this.walk(newDot, tmpl.root);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmpl = saved.tmpl;
    }
  }

  private printValue(n: Node, v: unknown): void {
    this.at(n);
    if (v === undefined) {
      this.out.push('<no value>');
      return;
    }
    if (typeof v === 'function') this.errorf(`can't print ${nodeString(n)} of type ${typeName(v)}`);
    this.out.push(formatValue(v));
  }

  // --- evaluation -------------------------------------------------------------------------------

  private evalPipeline(dot: Val, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // An interface{} holding nil becomes "no value", as Go digs into interface values.
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      const name = v.ident[0] as string;
      if (pipe.isAssign) this.setVar(name, { v: value, iface: false });
      else this.push(name, { v: value, iface: false });
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0] as ArgNode)}`);
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0] as ArgNode;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final).v;
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final).v;
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final).v;
      default:
        break;
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot.v;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private idealConstant(n: NumberNode): unknown {
    this.at(n);
    const isHexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !n.isChar && !isHexInt && /[.eEpP]/.test(n.text)) return goFloat(n.float);
    if (n.isInt) return n.int;
    this.errorf(`${n.text} overflows int`);
  }

  private evalFieldNode(dot: Val, field: FieldNode, args: ArgNode[], final: Final): Val {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: Val, chain: ChainNode, args: ArgNode[], final: Final): Val {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, { v: pipe, iface: false }, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: Val, variable: VariableNode, args: ArgNode[], final: Final): Val {
    this.at(variable);
    const value = this.varValue(variable.ident[0] as string);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: Val, receiver: Val, node: Node, ident: string[], args: ArgNode[], final: Final): Val {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i] as string, node, [], MISSING, receiver);
    return this.evalField(dot, ident[n - 1] as string, node, args, final, receiver);
  }

  private evalField(dot: Val, fieldName: string, node: Node, args: ArgNode[], final: Final, receiver: Val): Val {
    const r = receiver.v;
    if (r === undefined) {
      if (this.opts.missingKey === 'error') this.errorf(`nil data; no entry for key ${JSON.stringify(fieldName)}`);
      return { v: undefined, iface: false };
    }
    const typ = typeName(r, receiver.iface);
    if (r === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const methods = methodsOf(r);
    const method = methods !== undefined && Object.prototype.hasOwnProperty.call(methods, fieldName) ? methods[fieldName] : undefined;
    if (method !== undefined) {
      const bound = toSpec(method);
      return { v: this.evalCall(dot, { ...bound, fn: (...a: unknown[]) => bound.fn.apply(r, a) }, false, node, fieldName, args, final), iface: false };
    }
    const hasArgs = args.length > 1 || final !== MISSING;
    const kind = kindOf(r);
    if (kind === 'struct' && Object.prototype.hasOwnProperty.call(r, fieldName)) {
      const value = (r as Record<string, unknown>)[fieldName];
      if (typeof value === 'function') {
        const fn = value as (...a: unknown[]) => unknown;
        return { v: this.evalCall(dot, { params: [], variadic: 'any', fn: (...a: unknown[]) => fn.apply(r, a) }, false, node, fieldName, args, final), iface: false };
      }
      if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
      return { v: value, iface: false };
    }
    if (kind === 'map') {
      const isMap = r instanceof Map;
      const stringKeyed = !isMap || r.size === 0 || typeof r.keys().next().value === 'string';
      if (stringKeyed) {
        if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
        const found = isMap ? r.has(fieldName) : Object.prototype.hasOwnProperty.call(r, fieldName);
        if (found) {
          const v = isMap ? r.get(fieldName) : (r as Record<string, unknown>)[fieldName];
          return { v, iface: kindOf(v) !== 'struct' };
        }
        switch (this.opts.missingKey) {
          case 'default':
            return { v: undefined, iface: false };
          case 'zero':
            return { v: null, iface: true };
          case 'error':
            this.errorf(`map has no entry for key ${JSON.stringify(fieldName)}`);
        }
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private lookupFunction(name: string): { spec: FuncSpec; builtin: boolean } | undefined {
    const f = this.funcs[name];
    if (f !== undefined) return { spec: toSpec(f), builtin: false };
    const b = BUILTINS[name];
    if (b !== undefined) return { spec: toSpec(b), builtin: true };
    return undefined;
  }

  private evalFunction(dot: Val, node: IdentifierNode, cmd: Node, args: ArgNode[], final: Final): unknown {
    this.at(node);
    const name = node.ident;
    const found = this.lookupFunction(name);
    if (found === undefined) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, found.spec, found.builtin, cmd, name, args, final);
  }

  private evalCall(dot: Val, spec: FuncSpec, isBuiltin: boolean, node: Node, name: string, allArgs: ArgNode[], final: Final): unknown {
    const args = allArgs.slice(1);
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = spec.variadic !== undefined ? spec.params.length : args.length;
    if (spec.variadic !== undefined) {
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${spec.params.length} got ${args.length}`);
    } else if (numIn !== spec.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${spec.params.length} got ${numIn}`);
    }

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: unknown;
      for (const arg of args) {
        v = this.evalArg(dot, 'value', arg);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, spec.params[i] as ParamType, args[i] as ArgNode));
    if (spec.variadic !== undefined) for (; i < args.length; i++) argv.push(this.evalArg(dot, spec.variadic, args[i] as ArgNode));
    if (final !== MISSING) {
      let t: ParamType;
      if (spec.variadic !== undefined) t = numIn - 1 < numFixed ? (spec.params[numIn - 1] as ParamType) : spec.variadic;
      else t = spec.params[spec.params.length - 1] as ParamType;
      argv.push(this.validateType(final, t));
    }
    try {
      return spec.fn(...argv);
    } catch (e) {
      if (e === BREAK || e === CONTINUE) throw e;
      this.at(node);
      if (e instanceof RangeError && /call stack/i.test(e.message)) this.errorf(`exceeded maximum template depth (${this.opts.maxDepth})`);
      const msg = e instanceof Error ? e.message : String(e);
      this.errorf(`error calling ${name}: ${msg}`);
    }
  }

  private validateType(value: unknown, typ: ParamType | null): unknown {
    if (value === undefined) {
      if (typ === null || typ === 'value') return undefined;
      if (typ === 'any' || typ === 'list' || typ === 'map' || typ === 'stringList') return null;
      this.errorf(`invalid value; expected ${goTypeOf(typ)}`);
    }
    if (typ === null || typ === 'any' || typ === 'value') return value;
    const k = kindOf(value);
    let ok: boolean;
    switch (typ) {
      case 'string':
        ok = k === 'string';
        break;
      case 'int':
        ok = k === 'int';
        break;
      case 'float':
        ok = k === 'float';
        if (ok && value instanceof GoFloat) value = value.value;
        break;
      case 'bool':
        ok = k === 'bool';
        break;
      case 'list':
        ok = k === 'slice' || k === 'nil';
        break;
      case 'stringList':
        ok = k === 'nil' || (k === 'slice' && (value as unknown[]).every((e) => typeof e === 'string'));
        break;
      case 'map':
        ok = k === 'map' || k === 'nil';
        break;
    }
    if (!ok) this.errorf(`wrong type for value; expected ${goTypeOf(typ)}; got ${typeName(value)}`);
    return value;
  }

  private evalArg(dot: Val, typ: ParamType | null, n: ArgNode): unknown {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot.v, typ);
      case 'nil':
        // A literal nil is Go's untyped nil: no value at all for the built-ins' reflect.Value.
        if (typ === 'value') return undefined;
        if (typ === null || typ === 'any' || typ === 'list' || typ === 'map' || typ === 'stringList') return null;
        this.errorf(`cannot assign nil to ${goTypeOf(typ)}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING).v, typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, [n], MISSING).v, typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier': {
        const found = this.lookupFunction(n.ident);
        if (found === undefined) this.errorf(`${JSON.stringify(n.ident)} is not a defined function`);
        this.at(n);
        return this.validateType(this.evalCall(dot, found.spec, found.builtin, n, n.ident, [n], MISSING), typ);
      }
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, [], MISSING).v, typ);
      default:
        break;
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return n.int;
        this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'float':
        if (n.type === 'number' && n.isFloat) return n.float;
        this.errorf(`expected float; found ${nodeString(n)}`);
      case null:
      case 'any':
      case 'value':
        return this.evalEmptyInterface(n);
      default:
        this.errorf(`can't handle ${nodeString(n)} for arg of type ${goTypeOf(typ)}`);
    }
  }

  private evalEmptyInterface(n: ArgNode): unknown {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
      default:
        this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
    }
  }
}
