// `roam fmt [options] [FILES|DIRS…|-]`: rewrites job files and agent configuration in canonical
// HCL style, as `nomad fmt` does (the formatting itself is src/jobspec/hcl/format.ts, hclwrite's
// rules). Directories contribute their *.nomad and *.hcl files (subdirectories with -recursive);
// no argument means the current directory; `-` formats stdin to stdout. A file that does not parse
// is never rewritten: its errors are printed in Roam's positioned format and the exit code is 1.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { text as readStream } from 'node:stream/consumers';
import { formatDiagnostic } from '../../jobspec/hcl/index.js';
import { formatHCLSource } from '../../jobspec/hcl/format.js';
import { defineCommand, type CommandIO } from '../command.js';

interface FmtOptions {
  list: boolean;
  write: boolean;
  check: boolean;
  recursive: boolean;
  verbose: boolean;
}

interface FmtState {
  /** Some file could not be read or parsed. */
  failed: boolean;
  /** Some file was not in canonical form. */
  unformatted: boolean;
}

const STDIN = '-';

function isConfigFile(name: string): boolean {
  return name.endsWith('.nomad') || name.endsWith('.hcl');
}

/** The files an argument names: itself, or a directory's *.nomad / *.hcl files in lexical order. */
async function filesOf(target: string, recursive: boolean, io: CommandIO, state: FmtState): Promise<string[]> {
  let stat;
  try {
    stat = await fsp.stat(path.resolve(io.cwd, target));
  } catch {
    io.err(`No file or directory at ${target}\n`);
    state.failed = true;
    return [];
  }
  if (!stat.isDirectory()) return [target];
  const entries = await fsp.readdir(path.resolve(io.cwd, target), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const child = path.join(target, e.name);
    if (e.isDirectory()) {
      if (recursive) out.push(...(await filesOf(child, recursive, io, state)));
    } else if (isConfigFile(e.name)) {
      out.push(child);
    }
  }
  return out;
}

async function formatOne(name: string, source: string, opts: FmtOptions, io: CommandIO, state: FmtState): Promise<void> {
  if (opts.verbose) io.out(`Processing file: ${name}\n`);
  const { formatted, diagnostics } = formatHCLSource(source, name);
  if (formatted === undefined) {
    for (const d of diagnostics) if (d.severity === 'error') io.err(`${formatDiagnostic(d, source)}\n`);
    state.failed = true;
    return;
  }
  if (formatted !== source) {
    state.unformatted = true;
    if (opts.list) io.out(`${name}\n`);
    if (opts.write) await fsp.writeFile(path.resolve(io.cwd, name), formatted);
  }
  if (!opts.list && !opts.write) io.out(formatted);
}

export const fmtCommand = defineCommand({
  name: 'fmt',
  synopsis: 'Rewrites Nomad config and job files to canonical format',
  usage: `Usage: roam fmt [options] [FILES|DIRS...|-]

  Rewrites job files and agent configuration files in Nomad's canonical HCL
  style: two-space indentation, aligned equals signs, normalised spacing. Only
  whitespace changes; comments, blank lines and heredoc text are kept.

  A directory argument formats its *.nomad and *.hcl files; with no argument the
  current directory is formatted. With a single "-" argument, the input is read
  from stdin and the result is written to stdout.

  A file with syntax errors is not changed; its errors are reported with their
  positions and the exit status is 1.`,
  api: false,
  optionsHelp: `Format Options:

  -check
    Check whether the files are formatted, without changing them. Files that
    are not formatted are listed and the exit status is 1.

  -list=false
    Don't list the files whose formatting was (or would be) changed.

  -write=false
    Don't overwrite the input files; print the formatted text instead (when
    -list=false) or only list the files. Implied by -check and by "-".

  -recursive
    Also process files in subdirectories. By default only the given (or
    current) directory is processed.

  -verbose
    Print the name of each file as it is processed.`,
  flags(fs) {
    fs.bool('check', false, 'Check whether files are formatted; exit 1 if not');
    fs.bool('list', true, 'List files whose formatting differs');
    fs.bool('write', true, 'Write the result to the source files');
    fs.bool('recursive', false, 'Process subdirectories');
    fs.bool('verbose', false, 'Print each file name');
  },
  async run({ io, flags, args }) {
    const opts: FmtOptions = {
      list: flags.getBool('list'),
      write: flags.getBool('write') && !flags.getBool('check'),
      check: flags.getBool('check'),
      recursive: flags.getBool('recursive'),
      verbose: flags.getBool('verbose'),
    };
    const state: FmtState = { failed: false, unformatted: false };
    if (args.length === 1 && args[0] === STDIN) {
      await formatOne('<stdin>', await readStream(io.stdin), { ...opts, list: false, write: false }, io, state);
    } else {
      const targets = args.length === 0 ? ['.'] : args;
      for (const target of targets) {
        for (const file of await filesOf(target, opts.recursive, io, state)) {
          let source: string;
          try {
            source = await fsp.readFile(path.resolve(io.cwd, file), 'utf8');
          } catch (err) {
            io.err(`Error reading ${file}: ${(err as Error).message}\n`);
            state.failed = true;
            continue;
          }
          await formatOne(file, source, opts, io, state);
        }
      }
    }
    return state.failed || (opts.check && state.unformatted) ? 1 : 0;
  },
});
