// Reading a job for a command: a job file (HCL2, HCL JSON) or `-` for stdin, with -var/-var-file,
// NOMAD_VAR_* and -json (API JSON), turned into the canonical Job and its warnings. Problems become
// a CommandError whose message is the positioned, rendered diagnostics. `job run`, `job plan` and
// `job validate` share this. It also builds the job's submission (the source and variables as
// given, Nomad's JobSubmission), which `job run` sends so the server can show the file later.
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ApiJobJSONError,
  canonicalizeJob,
  formatDiagnostics,
  isJSONSyntax,
  jobWarnings,
  parseApiJobJSON,
  parseJobFile,
  type ApiJob,
  type Range,
} from '../jobspec/index.js';
import type { Job, JobSubmissionInput } from '../structs/index.js';
import { CommandError, type CommandIO } from './command.js';
import type { FlagSet } from './flags.js';

export interface LoadJobOptions {
  /** -var flags, "NAME=VALUE". */
  vars: string[];
  /** -var-file paths, relative to cwd. */
  varFiles: string[];
  /** -json: the file is API JSON ({"Job": …} or a bare job). */
  json: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream;
  /** -hcl2-strict (default true): undeclared -var/-var-file variables are errors. */
  strict?: boolean;
}

export interface LoadedJob {
  /** The canonical job (Nomad's defaults applied). */
  job: Job;
  /** The API job as read, before defaults (what `job run -output` prints). */
  apiJob: ApiJob;
  warnings: string[];
  /** Where each block was written, by validation path (HCL input only). */
  positions: Map<string, Range>;
  filename: string;
  source: string;
  /** What `job run` sends as the request's Submission. */
  submission: JobSubmissionInput;
}

const SIMPLE_TYPES = new Set(['string', 'number', 'bool']);

/**
 * Nomad's submission of an HCL job (jobspec2's submissionFromJob): -var flags over NOMAD_VAR_*
 * values go to VariableFlags when their variable is undeclared or of a simple type; values of
 * complex declared types become `name = value` lines appended to the var-files' contents.
 */
export function hclSubmission(source: string, vars: Record<string, string>, varFileTexts: readonly string[], env: Record<string, string | undefined>, declared: ReadonlyMap<string, { kind: string } | undefined>): JobSubmissionInput {
  const given: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('NOMAD_VAR_') && k.length > 'NOMAD_VAR_'.length && v !== undefined) given[k.slice('NOMAD_VAR_'.length)] = v;
  Object.assign(given, vars);
  const flags: Record<string, string> = {};
  const complex: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const type = declared.get(name);
    if (type === undefined || SIMPLE_TYPES.has(type.kind)) flags[name] = value;
    else complex.push(`${name} = ${value}`);
  }
  let variables = varFileTexts.map((t) => `${t}\n`).join('');
  const extra = complex.join('\n');
  variables = variables !== '' && extra !== '' ? `${variables.replace(/\n+$/, '')}\n\n${extra}` : variables || extra;
  return { Source: source, Format: isJSONSyntax(source) ? 'json' : 'hcl2', VariableFlags: Object.keys(flags).length ? flags : null, Variables: variables };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : e instanceof Error ? e.message : String(e);
    throw new CommandError(`Error getting job struct: Error reading ${what} "${file}": ${why}`);
  }
}

/** "-var NAME=VALUE" pairs into a map; a flag without "=" is a usage error. */
export function parseVarFlags(vars: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of vars) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new CommandError(`Error getting job struct: invalid -var "${v}": expected NAME=VALUE`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** Reads and parses a job, returning the API job (no defaults) and the canonical one. */
export async function loadJob(jobPath: string, opts: LoadJobOptions): Promise<LoadedJob> {
  const fromStdin = jobPath === '-';
  const filename = fromStdin ? '<stdin>' : jobPath;
  const abs = fromStdin ? opts.cwd : path.resolve(opts.cwd, jobPath);
  const source = fromStdin ? await readAll(opts.stdin) : await readText(abs, 'job file');
  if (opts.json) {
    let apiJob: ApiJob;
    try {
      apiJob = parseApiJobJSON(source);
    } catch (e) {
      if (e instanceof ApiJobJSONError) throw new CommandError(`Error getting job struct: ${e.message}`);
      throw e;
    }
    const job = canonicalizeJob(apiJob);
    return { job, apiJob, warnings: jobWarnings(job), positions: new Map(), filename, source, submission: { Source: source, Format: 'json', VariableFlags: null, Variables: '' } };
  }
  const vars = parseVarFlags(opts.vars);
  const varFiles = await Promise.all(opts.varFiles.map(async (f) => ({ name: f, text: await readText(path.resolve(opts.cwd, f), 'var file') })));
  const r = parseJobFile(source, filename, {
    vars,
    varFiles,
    env: opts.env,
    allowFS: true,
    baseDir: fromStdin ? opts.cwd : path.dirname(abs),
    strict: opts.strict ?? true,
  });
  const sources: Record<string, string> = { [filename]: source };
  for (const f of varFiles) sources[f.name] = f.text;
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (r.job === undefined || errors.length > 0) {
    throw new CommandError(`Error getting job struct: Error parsing job file from ${filename}:\n${formatDiagnostics(errors, sources)}`);
  }
  const job = canonicalizeJob(r.job);
  const hclWarnings = r.diagnostics.filter((d) => d.severity === 'warning').map((d) => formatDiagnostics([d], sources).replace(/^(.*?)Warning: /, '$1'));
  const submission = hclSubmission(source, vars, varFiles.map((f) => f.text), opts.env, r.variableTypes);
  return { job, apiJob: r.job, warnings: [...hclWarnings, ...jobWarnings(job)], positions: r.positions, filename, source, submission };
}

/** The flags every command that reads a job file takes: -json, -hcl2-strict, -var, -var-file. */
export function addJobFileFlags(fs: FlagSet): void {
  fs.bool('json', false, 'Parse the job file as API JSON ({"Job": …} or a bare job) instead of HCL.');
  fs.bool('hcl2-strict', true, 'Error when a variable given with -var or -var-file is not declared in the job file.');
  fs.list('var', 'A variable value, NAME=VALUE. May be repeated.', 'NAME=VALUE');
  fs.list('var-file', 'A file of variable values (HCL or JSON). May be repeated.', '<path>');
}

export const JOB_FILE_FLAGS_HELP = `  -json
    Parses the job file as API JSON, either a bare job or {"Job": …}, as
    printed by "roam job run -output" or "roam job inspect".

  -hcl2-strict
    Whether a -var or -var-file value for a variable the job does not declare
    is an error. Defaults to true.

  -var 'key=value'
    Sets an input variable of the job file. May be given many times.

  -var-file=path
    Reads input variable values from an HCL or JSON file. May be given many
    times.`;

/** LoadJobOptions from the flags added by addJobFileFlags. */
export function jobFileOptions(fs: FlagSet, io: CommandIO): LoadJobOptions {
  return { vars: fs.getList('var'), varFiles: fs.getList('var-file'), json: fs.getBool('json'), strict: fs.getBool('hcl2-strict'), cwd: io.cwd, env: io.env, stdin: io.stdin };
}
