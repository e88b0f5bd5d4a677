// One Nomad template render, as the client's template hook needs it: parse with the template's
// delimiters, execute with a fresh function map over the injected data, and report the
// dependencies used and those still without data. While `missing` is not empty the caller must
// not write the file (Nomad holds the first render and emits "Missing: nomad.service(x)").
import type { TemplateDataProvider } from './functions/provider.js';
import { DependencyTracker } from './functions/dependencies.js';
import { createTemplateFunctions, templateFunctionNames, type TemplateFileReader } from './functions/index.js';
import { parseTemplate, type Template } from './template.js';

export interface NomadTemplateOptions {
  provider: TemplateDataProvider;
  /** The task's environment. */
  env: Readonly<Record<string, string>>;
  namespace?: string;
  leftDelim?: string;
  rightDelim?: string;
  /** Nomad's `error_on_missing_key`; otherwise consul-template's missingkey=zero. */
  errorOnMissingKey?: boolean;
  readFile?: TemplateFileReader;
  now?: () => Date;
  denylist?: readonly string[];
}

export interface RenderResult {
  output: string;
  /** Every dependency the render read, e.g. `nomad.service(redis-svc)`. */
  used: string[];
  /** Dependencies without data yet; the render is not final while this is not empty. */
  missing: string[];
}

let cachedNames: string[] | undefined;

/** Parses a Nomad task template (the function names of the Nomad function map are known). */
export function parseNomadTemplate(name: string, text: string, opts: { leftDelim?: string; rightDelim?: string } = {}): Template {
  cachedNames ??= templateFunctionNames();
  return parseTemplate(name, text, { funcs: cachedNames, ...(opts.leftDelim ? { leftDelim: opts.leftDelim } : {}), ...(opts.rightDelim ? { rightDelim: opts.rightDelim } : {}) });
}

/** Renders an already parsed template once. Throws TemplateError. */
export function renderParsedTemplate(tmpl: Template, opts: NomadTemplateOptions): RenderResult {
  const deps = new DependencyTracker();
  const funcs = createTemplateFunctions({
    provider: opts.provider,
    deps,
    env: opts.env,
    ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
    ...(opts.readFile !== undefined ? { readFile: opts.readFile } : {}),
    ...(opts.now !== undefined ? { now: opts.now } : {}),
    ...(opts.denylist !== undefined ? { denylist: opts.denylist } : {}),
    executeTemplate: (name, data) => tmpl.executeTemplate(name, data, { funcs, missingKey: opts.errorOnMissingKey ? 'error' : 'zero' }),
  });
  const output = tmpl.execute(null, { funcs, missingKey: opts.errorOnMissingKey ? 'error' : 'zero' });
  return { output, used: deps.used, missing: deps.missing };
}

/** Parses and renders a Nomad task template. Throws TemplateError. */
export function renderNomadTemplate(name: string, text: string, opts: NomadTemplateOptions): RenderResult {
  const tmpl = parseNomadTemplate(name, text, { ...(opts.leftDelim ? { leftDelim: opts.leftDelim } : {}), ...(opts.rightDelim ? { rightDelim: opts.rightDelim } : {}) });
  return renderParsedTemplate(tmpl, opts);
}
