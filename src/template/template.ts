// The public face of the engine: parseTemplate (Go's template.New(name).Delims(l, r).Funcs(f)
// .Parse(text)) and Template.execute (Go's Execute with missingkey options). A Template is
// immutable and can be executed any number of times, with any data and function implementations
// of the names it was parsed with.
import { BUILTINS } from './builtins.js';
import { TemplateError } from './errors.js';
import { execute, type MissingKeyMode } from './exec.js';
import type { FuncMap } from './funcs.js';
import { parseTrees, type Tree } from './parser.js';

export interface ParseTemplateOptions {
  /** Default `{{`. */
  leftDelim?: string;
  /** Default `}}`. */
  rightDelim?: string;
  /** Functions (or just their names) the template may call besides the built-ins. */
  funcs?: FuncMap | Iterable<string>;
}

export interface ExecuteOptions {
  /** Function implementations; required for every non-built-in name the template calls. */
  funcs?: FuncMap;
  /**
   * Go's missingkey option: 'default' prints `<no value>` for a missing map key, 'zero' gives the
   * zero value (consul-template's default), 'error' fails (Nomad's `error_on_missing_key`).
   */
  missingKey?: MissingKeyMode;
  /** Nested {{template}} calls allowed (Go: 100000; kept lower for JavaScript's stack). */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 1000;

export class Template {
  /** @internal use parseTemplate */
  constructor(
    readonly name: string,
    private readonly trees: ReadonlyMap<string, Tree>,
    private readonly funcs: FuncMap,
  ) {}

  /** Renders the template with data as dot. Throws TemplateError. */
  execute(data: unknown, opts: ExecuteOptions = {}): string {
    return this.executeTemplate(this.name, data, opts);
  }

  /** Renders one of the templates defined in the text ({{define "x"}}). */
  executeTemplate(name: string, data: unknown, opts: ExecuteOptions = {}): string {
    const tree = this.trees.get(name);
    if (tree === undefined) {
      const msg = `no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.name)}`;
      throw new TemplateError(`template: ${msg}`, 'exec', this.name, 0, 0, msg);
    }
    return execute(this.trees, tree, data, {
      funcs: opts.funcs ?? this.funcs,
      missingKey: opts.missingKey ?? 'default',
      maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
    });
  }

  /** Names of the templates defined (the main one included), sorted. */
  templateNames(): string[] {
    return [...this.trees.keys()].sort();
  }
}

/** Parses text as template `name`. Throws TemplateError (`template: NAME:LINE: msg`). */
export function parseTemplate(name: string, text: string, opts: ParseTemplateOptions = {}): Template {
  const funcs = opts.funcs;
  let names: Set<string>;
  let impls: FuncMap = {};
  if (funcs === undefined) names = new Set();
  else if (isIterable(funcs)) names = new Set(funcs);
  else {
    names = new Set(Object.keys(funcs));
    impls = funcs;
  }
  const hasFunction = (n: string): boolean => names.has(n) || Object.prototype.hasOwnProperty.call(BUILTINS, n);
  const trees = parseTrees(name, text, { leftDelim: opts.leftDelim ?? '{{', rightDelim: opts.rightDelim ?? '}}', hasFunction });
  return new Template(name, trees, impls);
}

function isIterable(v: FuncMap | Iterable<string>): v is Iterable<string> {
  return typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}
