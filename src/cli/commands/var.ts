// `roam var put|get|list|purge`: Nomad Variables from the command line (Nomad's command/var_*.go;
// `var lock` is in var-lock.ts).
// Output layouts follow Nomad's: the "table" view is a KV block of metadata then "Items", `-out
// json` is the variable indented by two spaces, `-out hcl` a variable specification, `-out
// go-template -template '{{ … }}'` renders the variable as Nomad's *api.Variable (var list: the
// []*api.VariableMetadata, with the sprig_ functions). Not supported here: `-in hcl`
// specifications and `var init`.
import fs from 'node:fs/promises';
import path from 'node:path';
import { VariableConflictError, type RoamApi } from '../../api/index.js';
import type { Variable, VariableMetadata } from '../../structs/variable.js';
import { CommandError, defineCommand, UsageError } from '../command.js';
import type { CommandIO } from '../command.js';
import { formatKV, formatList } from '../output.js';
import { formatNanoTime } from '../format/table.js';
import { goVariable, goVariableMetadata, renderGoTemplate } from '../format/go-template.js';
import { TemplateError } from '../../template/index.js';

const ERR_NOT_FOUND = 'Variable not found';
const ERR_NO_MATCHING = 'No matching variables found';
const ERR_WILDCARD_NS = 'The wildcard namespace ("*") is not valid for this command.';
const ERR_MISSING_TEMPLATE = "A template must be supplied using '-template' when using go-template formatting";
const ERR_UNEXPECTED_TEMPLATE = "The '-template' flag is only valid when using 'go-template' formatting";

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The variable as Nomad's api.Variable marshals it (field order included; the lock as api.VariableLock). */
function variableJSON(v: Variable): string {
  const lock = v.Lock ? { Lock: { ID: v.Lock.ID, TTL: v.Lock.TTL, LockDelay: v.Lock.LockDelay } } : {};
  const ordered = { Namespace: v.Namespace, Path: v.Path, CreateIndex: v.CreateIndex, ModifyIndex: v.ModifyIndex, CreateTime: v.CreateTime, ModifyTime: v.ModifyTime, Items: v.Items, ...lock };
  return JSON.stringify(ordered, null, 2);
}

function sortedKeys(items: Record<string, string>): string[] {
  return Object.keys(items).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Nomad's renderAsHCL: a variable specification that `var put` can read back. */
export function variableHCL(v: Variable): string {
  const keys = sortedKeys(v.Items);
  const pad = Math.max(0, ...keys.map((k) => k.length));
  const items = keys.map((k) => `  ${k.padStart(pad)} = ${JSON.stringify(v.Items[k] ?? '')}\n`).join('');
  return `
namespace    = ${JSON.stringify(v.Namespace)}
path         = ${JSON.stringify(v.Path)}
create_index = ${v.CreateIndex}  # Set by server
modify_index = ${v.ModifyIndex}  # Set by server; consulted for check-and-set
create_time  = ${v.CreateTime}   # Set by server
modify_time  = ${v.ModifyTime}   # Set by server

items = {
${items}}
`;
}

/** Nomad's renderSVAsUiTable: metadata as KV, then the items as KV. */
export function variableTable(v: Variable): string {
  const meta: [string, string][] = [
    ['Namespace', v.Namespace],
    ['Path', v.Path],
    ['Create Time', formatNanoTime(v.CreateTime)],
  ];
  if (v.CreateTime !== v.ModifyTime) meta.push(['Modify Time', formatNanoTime(v.ModifyTime)]);
  meta.push(['Check Index', String(v.ModifyIndex)]);
  return `${formatKV(meta)}\n\nItems\n${formatKV(sortedKeys(v.Items).map((k) => [k, v.Items[k] ?? '']))}\n`;
}

/** Nomad's handleCASError message. */
function casConflictMessage(checkIndex: number, current: Variable | VariableMetadata): string {
  const last = current.ModifyIndex > 0 ? `    The server-side item was last updated on ${formatNanoTime(current.ModifyTime)}.\n` : '';
  return (
    `\nCheck-and-Set conflict\n\n` +
    `    Your provided check-index (${checkIndex}) does not match the\n` +
    `    server-side index (${current.ModifyIndex}).\n` +
    last +
    `    If you are sure you want to perform this operation, add the -force or\n` +
    `    -check-index=${current.ModifyIndex} flag before the positional arguments.\n`
  );
}

function parseCheckIndex(raw: string): number | undefined {
  if (raw === '') return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new CommandError(`Invalid -check-index value ${JSON.stringify(raw)}: not parsable as uint64`);
  return Number(raw);
}

/** Nomad's validateOutputFlag: `-template` only with go-template, which needs one. */
function validateOut(out: string, template: string, allowed: string[]): void {
  if (out !== 'go-template' && template !== '') throw new UsageError(ERR_UNEXPECTED_TEMPLATE);
  if (out === 'go-template' && template === '') throw new UsageError(ERR_MISSING_TEMPLATE);
  if (out !== 'go-template' && !allowed.includes(out)) throw new UsageError(`Invalid value for "-out"; valid values are [${['go-template', ...allowed].join(', ')}]`);
}

/**
 * The go-template output (Ui.Output adds the newline); a template error is the command's error.
 * `list`: Nomad's Format helper (sprig_ functions, execute errors prefixed "Error formatting the
 * data: "); otherwise renderWithGoTemplate (a template named "var").
 */
function goTemplateOut(io: CommandIO, template: string, data: unknown, list = false): number {
  let out: string;
  try {
    out = renderGoTemplate(template, data, list ? { sprig: true } : { name: 'var' });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new CommandError(list && err instanceof TemplateError && err.phase !== 'parse' ? `Error formatting the data: ${msg}` : msg);
  }
  io.out(`${out}\n`);
  return 0;
}

export function rejectWildcard(api: RoamApi): void {
  if (api.http.config.namespace === '*') throw new CommandError(ERR_WILDCARD_NS);
}

export const sanitizePath = (s: string): string => s.trim().replace(/^\/+|\/+$/g, '');

/** A variable specification (JSON) as `var put` and `var lock` read it from a file or stdin. */
export interface Spec {
  Namespace?: string;
  Path?: string;
  ModifyIndex?: number;
  Items?: Record<string, string>;
  /** `var put`: the ID of the lock the variable holds; `var lock`: the lock to acquire. */
  Lock?: { ID?: string; TTL?: string; LockDelay?: string } | null;
}

export function parseSpec(text: string, inFmt: string): Spec {
  if (inFmt === 'hcl') throw new CommandError('Failed to parse variable data: HCL variable specifications are not supported by roam yet; use -in json');
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('the specification must be a JSON object');
    return v as Spec;
  } catch (err) {
    throw new CommandError(`Failed to parse variable data: error unmarshaling json: ${(err as Error).message}`);
  }
}

/** A variable specification file (`@file`): its text, and its format from the extension. */
export async function readSpecFile(io: CommandIO, file: string): Promise<{ text: string; format: 'json' | 'hcl' }> {
  const ext = path.extname(file);
  if (ext !== '.json' && ext !== '.hcl') throw new CommandError(`Unable to determine format of ${file}; Use the -in flag to specify it.`);
  try {
    return { text: await fs.readFile(path.resolve(io.cwd, file), 'utf8'), format: ext === '.hcl' ? 'hcl' : 'json' };
  } catch (err) {
    throw new CommandError(`Error reading ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
}

/** Nomad's KVBuilder for `k=v`, `k=@file`, `k=-` arguments. */
async function parseItemArgs(args: string[], io: CommandIO, stdinUsed: { used: boolean }): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const a of args) {
    if (a === '') continue;
    const eq = a.indexOf('=');
    if (eq < 0) throw new CommandError(`Failed to parse K=V data: invalid key/value pair ${JSON.stringify(a)}: format must be key=value`);
    const key = a.slice(0, eq);
    let value = a.slice(eq + 1);
    if (value.startsWith('@')) {
      try {
        value = await fs.readFile(path.resolve(io.cwd, value.slice(1)), 'utf8');
      } catch (err) {
        throw new CommandError(`Failed to parse K=V data: invalid key/value pair ${JSON.stringify(a)}: error reading file: ${(err as Error).message}`);
      }
    } else if (value.startsWith('\\@')) {
      value = value.slice(1);
    } else if (value === '-') {
      if (stdinUsed.used) throw new CommandError(`Failed to parse K=V data: invalid key/value pair ${JSON.stringify(a)}: stdin already consumed`);
      stdinUsed.used = true;
      value = await readAll(io.stdin);
    }
    out[key] = value;
  }
  return out;
}

export const varPutCommand = defineCommand({
  name: 'var put',
  synopsis: 'Create or update a variable',
  usage: `Usage:
roam var put [options] <variable spec file reference> [<key>=<value>]...
roam var put [options] <path to store variable> [<variable spec file reference>] [<key>=<value>]...

  The 'var put' command is used to create or update an existing variable.
  Variable metadata and items can be supplied using a variable specification
  (an @-prefixed JSON file, or "-" for stdin), by using command arguments, or
  by a combination of the two. The items given replace the variable's items;
  an item with an empty value is removed. Without -force or -check-index, the
  write only succeeds when the variable does not exist yet.`,
  api: true,
  optionsHelp: `Apply Options:

  -check-index
     If set, the variable is only acted upon if the server-side version's index
     matches the provided value.

  -force
     Perform this operation regardless of the state or index of the variable
     on the server-side.

  -in (hcl | json)
     Parser to use for data supplied via standard input or when the variable
     specification's type can not be known using the file extension. Defaults
     to "json" (roam reads JSON specifications only).

  -out (go-template | hcl | json | none | table)
     Format to render created or updated variable. Defaults to "none" when
     stdout is a terminal and "json" when the output is redirected.

  -template
     Template to render output with. Required when format is "go-template",
     invalid for other formats.

  -verbose
     Provides additional information via standard error.`,
  flags: (f) => {
    f.bool('force', false, 'Write regardless of the server-side index.');
    f.bool('verbose', false, 'Additional information on stderr.');
    f.string('check-index', '', 'Check-and-set index.');
    f.string('in', 'json', 'Input format.');
    f.string('out', '', 'Output format.');
    f.string('template', '', 'Template for go-template output.');
  },
  async run({ io, api, args, flags }) {
    const verbose = (msg: string): void => {
      if (flags.getBool('verbose')) io.err(`${msg}\n`);
    };
    const checkIndex = parseCheckIndex(flags.getString('check-index'));
    rejectWildcard(api);
    const isRef = (a: string): boolean => a === '-' || (a.startsWith('@') && !a.startsWith('\\@'));
    if (args.length < 1) throw new UsageError(`Not enough arguments (expected >1, got ${args.length})`);
    if (args.length === 1 && !isRef(args[0] ?? '')) throw new UsageError('Must supply data');
    let inFmt = flags.getString('in');
    if (inFmt !== 'json' && inFmt !== 'hcl') throw new UsageError('Invalid value for "-in"; valid values are [hcl, json]');
    const out = flags.getString('out') || (io.isTTY ? 'none' : 'json');
    validateOut(out, flags.getString('template'), ['hcl', 'json', 'none', 'table']);

    const stdinUsed = { used: false };
    const readRef = async (ref: string): Promise<string> => {
      if (ref === '-') {
        stdinUsed.used = true;
        return readAll(io.stdin);
      }
      const file = await readSpecFile(io, ref.slice(1));
      inFmt = file.format;
      return file.text;
    };
    const rest = [...args];
    let varPath = '';
    let contents: string | undefined;
    const first = rest.shift() ?? '';
    if (isRef(first)) contents = await readRef(first);
    else {
      varPath = sanitizePath(first);
      verbose(`Writing to path ${JSON.stringify(varPath)}`);
    }
    if (rest.length > 0 && isRef(rest[0] ?? '')) contents = await readRef(rest.shift() ?? '');

    const ns = api.http.config.namespace ?? '';
    const spec: Spec = contents !== undefined && contents.trim() !== '' ? parseSpec(contents, inFmt) : {};
    const items: Record<string, string> = { ...(spec.Items ?? {}) };
    let modifyIndex = spec.ModifyIndex ?? 0;
    if ((varPath !== '' && spec.Path !== undefined && spec.Path !== varPath) || (ns !== '' && spec.Namespace !== undefined && spec.Namespace !== ns)) modifyIndex = 0;
    const finalPath = varPath || sanitizePath(spec.Path ?? '');
    if (finalPath === '') throw new CommandError('Failed to parse variable data: the variable specification has no path');
    const namespace = ns || spec.Namespace || '';
    for (const [k, v] of Object.entries(await parseItemArgs(rest, io, stdinUsed))) {
      if (v === '') {
        if (k in items) verbose(`Removed item ${JSON.stringify(k)}`);
        delete items[k];
        continue;
      }
      items[k] = v;
    }
    if (checkIndex !== undefined) modifyIndex = checkIndex;
    const cas = flags.getBool('force') ? undefined : modifyIndex;
    let written: Variable;
    try {
      const lockID = spec.Lock?.ID ?? '';
      written = (await api.variables.put(finalPath, items, { ...(namespace ? { namespace } : {}), ...(cas !== undefined ? { cas } : {}), ...(lockID ? { lockID } : {}) })).data;
    } catch (err) {
      if (err instanceof VariableConflictError) {
        io.err(casConflictMessage(cas ?? 0, err.current));
        return 1;
      }
      throw new CommandError(`Error creating variable: ${err instanceof Error ? err.message : String(err)}`);
    }
    const success = `Created variable ${JSON.stringify(written.Path)} with modify index ${written.ModifyIndex}`;
    switch (out) {
      case 'json':
        verbose(success);
        io.out(`${variableJSON(written)}\n`);
        return 0;
      case 'hcl':
        verbose(success);
        io.out(`${variableHCL(written)}\n`);
        return 0;
      case 'table':
        verbose(success);
        io.out(variableTable(written));
        return 0;
      case 'go-template':
        verbose(success);
        return goTemplateOut(io, flags.getString('template'), goVariable(written));
      default:
        io.out(`${success}\n`);
        return 0;
    }
  },
});

export const varGetCommand = defineCommand({
  name: 'var get',
  synopsis: 'Read a variable',
  usage: `Usage: roam var get [options] <path>

  The 'var get' command is used to get the contents of an existing variable.`,
  api: true,
  optionsHelp: `Read Options:

  -item <item key>
     Print only the value of the given item. Specifying this option will
     take precedence over other formatting directives.

  -out (go-template | hcl | json | none | table)
     Format to render the variable in. When using "go-template", you must
     provide the template content with the "-template" option. Defaults
     to "table" when stdout is a terminal and to "json" when stdout is
     redirected.

  -template
     Template to render output with. Required when output is "go-template".`,
  flags: (f) => {
    f.string('item', '', 'Print only this item.');
    f.string('out', '', 'Output format.');
    f.string('template', '', 'Template for go-template output.');
  },
  async run({ io, api, args, flags }) {
    if (args.length !== 1) throw new UsageError('This command takes one argument: <path>');
    const out = flags.getString('out') || (io.isTTY ? 'table' : 'json');
    validateOut(out, flags.getString('template'), ['hcl', 'json', 'none', 'table']);
    rejectWildcard(api);
    const { data: v } = await api.variables.peek(args[0] ?? '');
    if (!v) {
      io.err(`${ERR_NOT_FOUND}\n`);
      return 1;
    }
    const item = flags.getString('item');
    if (item !== '') {
      const value = v.Items[item];
      if (value === undefined) throw new CommandError(`Variable does not contain ${JSON.stringify(item)} item`);
      io.out(value);
      return 0;
    }
    if (out === 'go-template') return goTemplateOut(io, flags.getString('template'), goVariable(v));
    if (out === 'json') io.out(`${variableJSON(v)}\n`);
    else if (out === 'hcl') io.out(`${variableHCL(v)}\n`);
    else if (out === 'table') io.out(variableTable(v));
    return 0;
  },
});

export const varListCommand = defineCommand({
  name: 'var list',
  synopsis: 'List variable metadata',
  usage: `Usage: roam var list [options] <prefix>

  List is used to list available variables. Supplying an optional prefix,
  filters the list to variables having a path starting with the prefix.
  When using pagination, the next page token is provided in the JSON output
  or as a message to standard error to leave standard output for the listed
  variables from that page.`,
  api: true,
  optionsHelp: `List Options:

  -out (go-template | json | table | terse)
     Format to render the list in. "terse" prints only the paths.

  -template
     Template to render output with. Required when format is "go-template",
     invalid for other formats.

  -filter
    Specifies an expression used to filter query results.

  -per-page
    How many results to show per page.

  -page-token
    Where to start pagination.`,
  flags: (f) => {
    f.string('out', 'table', 'Output format.');
    f.string('template', '', 'Template for go-template output.');
    f.string('filter', '', 'Filter expression.');
    f.int('per-page', 0, 'How many results to show per page.');
    f.string('page-token', '', 'Where to start pagination.');
  },
  async run({ io, api, args, flags }) {
    if (args.length > 1) throw new UsageError('This command takes flags and either no arguments or one: <prefix>');
    const out = flags.getString('out');
    validateOut(out, flags.getString('template'), ['json', 'table', 'terse']);
    const filter = flags.getString('filter');
    const perPage = flags.getInt('per-page');
    const { data, meta } = await api.variables.list({ prefix: args[0] ?? '', ...(filter ? { filter } : {}), ...(perPage ? { perPage } : {}), ...(flags.getString('page-token') ? { nextToken: flags.getString('page-token') } : {}) });
    const vars = [...(data ?? [])].sort((a, b) => (a.Namespace === b.Namespace ? (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0) : a.Namespace < b.Namespace ? -1 : 1));
    if (out === 'json') {
      io.out(`${JSON.stringify(perPage > 0 ? { Data: vars, QueryMeta: { LastIndex: meta.lastIndex, NextToken: meta.nextToken } } : vars, null, 4)}\n`);
      return 0;
    }
    if (out === 'go-template') {
      goTemplateOut(io, flags.getString('template'), vars.map(goVariableMetadata), true);
    } else if (out === 'terse') {
      const wildcard = api.http.config.namespace === '*';
      io.out(`${formatList(vars.map((v) => (wildcard ? `${v.Namespace}|${v.Path}` : v.Path)))}\n`);
    } else if (vars.length === 0) {
      io.out(`${ERR_NO_MATCHING}\n`);
    } else {
      io.out(`${formatList(['Namespace|Path|Last Updated', ...vars.map((v) => `${v.Namespace}|${v.Path}|${formatNanoTime(v.ModifyTime)}`)])}\n`);
    }
    if (meta.nextToken) io.err(`Next page token: ${meta.nextToken}\n`);
    return 0;
  },
});

export const varPurgeCommand = defineCommand({
  name: 'var purge',
  synopsis: 'Purge a variable',
  usage: `Usage: roam var purge [options] <path>

  Purge is used to permanently delete an existing variable.`,
  api: true,
  optionsHelp: `Purge Options:

  -check-index
     If set, the variable is only purged if the server-side version's index
     matches the provided value.`,
  flags: (f) => {
    f.string('check-index', '', 'Check-and-set index.');
  },
  async run({ io, api, args, flags }) {
    if (args.length !== 1) throw new UsageError('This command takes one argument: <path>');
    const checkIndex = parseCheckIndex(flags.getString('check-index'));
    rejectWildcard(api);
    const varPath = args[0] ?? '';
    try {
      await api.variables.delete(varPath, checkIndex !== undefined ? { cas: checkIndex } : {});
    } catch (err) {
      if (err instanceof VariableConflictError) {
        io.err(casConflictMessage(checkIndex ?? 0, err.current));
        return 1;
      }
      throw new CommandError(`Error purging variable: ${err instanceof Error ? err.message : String(err)}`);
    }
    io.out(`Successfully purged variable ${JSON.stringify(varPath)}!\n`);
    return 0;
  },
});
