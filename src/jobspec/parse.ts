// parseJobFile: a job file's text → the API job, as `nomad job run FILE` reads it (jobspec2).
// Steps: parse (HCL native, or HCL JSON when the text starts with "{"), declare variables, assign
// their values (defaults < NOMAD_VAR_* < -var-file < -var), evaluate locals, then decode the one
// `job` block with var.*, local.*, the function library, dynamic blocks, and runtime references
// such as ${NOMAD_META_x} kept as literal text. Never throws on user input.
import type { ApiJob } from './api-types.js';
import { DecodeContext } from './decode-context.js';
import { decodeJob } from './decode-job.js';
import { nomadFunctions } from './functions/index.js';
import type { HclFunction, HclType } from './functions/types.js';
import { errorDiag, expandDynamic, formatRange, hasErrors, parseHCL, parseHCLJSON, type Diagnostic, type EvalContext, type Range } from './hcl/index.js';
import { evaluateLocals } from './locals.js';
import { SCHEMAS, toBodySchema } from './schema.js';
import { VariableSet } from './variables.js';

export interface ParseOptions {
  /** -var k=v flags. */
  vars?: Record<string, string>;
  /** -var-file contents; HCL, or JSON when the name ends in .json. */
  varFiles?: { name: string; text: string }[];
  /** The environment, for NOMAD_VAR_<name>. */
  env?: Record<string, string | undefined>;
  /** Whether file functions (file, fileset…) may read the disk (the CLI: yes; the HTTP parse endpoint: no). */
  allowFS: boolean;
  /** The directory file functions resolve relative paths against (the job file's). */
  baseDir: string;
  now?: () => Date;
  /** Undeclared -var / var-file variables are errors (default true, Nomad's -hcl2-strict). */
  strict?: boolean;
}

export type ParseResult =
  | {
      job: ApiJob;
      diagnostics: Diagnostic[];
      positions: Map<string, Range>;
      /** Declared input variables and their type constraints (undefined: none declared); the CLI uses it to build the job's submission. */
      variableTypes: Map<string, HclType | undefined>;
    }
  | { job: undefined; diagnostics: Diagnostic[]; positions: Map<string, Range> };

let sharedFunctions: Record<string, HclFunction> | undefined;

/** Whether text is HCL's JSON syntax: its first non-space character is "{" (jobspec2's isJSON). */
export function isJSONSyntax(text: string): boolean {
  for (const ch of text) {
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\ufeff') continue;
    return ch === '{';
  }
  return false;
}

export function parseJobFile(text: string, filename: string, opts: ParseOptions): ParseResult {
  const positions = new Map<string, Range>();
  const parsed = isJSONSyntax(text) ? parseHCLJSON(text, filename) : parseHCL(text, filename);
  const diagnostics = [...parsed.diagnostics];
  if (hasErrors(diagnostics)) return { job: undefined, diagnostics, positions };

  const { content, diagnostics: rootDiags } = parsed.file.body.content(toBodySchema(SCHEMAS.root));
  diagnostics.push(...rootDiags);
  sharedFunctions ??= nomadFunctions();
  const base: EvalContext = {
    variables: {},
    functions: sharedFunctions,
    functionContext: { baseDir: opts.baseDir, allowFS: opts.allowFS, now: opts.now ?? (() => new Date()) },
    preserveUnknown: true,
  };

  const vars = new VariableSet(base);
  for (const b of content.blocks) {
    if (b.type === 'variable') vars.declareBlock(b);
    else if (b.type === 'variables') {
      const { attributes, diagnostics: d } = b.body.justAttributes();
      diagnostics.push(...d);
      for (const attr of Object.values(attributes)) vars.declareAttribute(attr);
    }
  }
  vars.assign({ vars: opts.vars ?? {}, varFiles: opts.varFiles ?? [], env: opts.env ?? {}, strict: opts.strict ?? true });
  const varValues = vars.values();
  diagnostics.push(...vars.diags);

  const withVars: EvalContext = { ...base, variables: { var: varValues } };
  const locals = evaluateLocals(
    content.blocks.filter((b) => b.type === 'locals'),
    withVars,
    diagnostics,
  );
  if (hasErrors(diagnostics)) return { job: undefined, diagnostics, positions };

  const ctx: EvalContext = { ...base, variables: { var: varValues, local: locals } };
  const jobs = content.blocks.filter((b) => b.type === 'job');
  const first = jobs[0];
  if (first === undefined) {
    diagnostics.push(errorDiag('Missing job block', 'A job block is required', parsed.file.body.missingItemRange));
    return { job: undefined, diagnostics, positions };
  }
  for (const dup of jobs.slice(1)) {
    diagnostics.push(errorDiag('Duplicate job block', `Only one block of type "job" is allowed. Previous definition was at ${formatRange(first.defRange)}.`, dup.defRange));
  }
  const dc = new DecodeContext(ctx);
  const job = decodeJob(dc, { ...first, body: expandDynamic(first.body, ctx) });
  diagnostics.push(...dc.diags);
  for (const [k, v] of dc.positions) positions.set(k, v);
  if (hasErrors(diagnostics)) return { job: undefined, diagnostics, positions };
  return { job, diagnostics, positions, variableTypes: new Map([...vars.vars].map(([name, v]) => [name, v.type])) };
}
