// The shape of a CLI command and the shared run loop: parse Go-style flags (with the global
// -address/-token/… flags when the command talks to an agent), print help on -h, turn flag and API
// errors into one clear message and exit code 1. One file per command lives in ./commands.
import { ApiError, ConnectionError, type RoamApi } from '../api/index.js';
import { FlagError, FlagSet, HelpRequested, type ParsedFlags } from './flags.js';
import { addMetaFlags, apiFor, META_FLAGS_HELP, metaSettings, type MetaSettings } from './meta.js';

export interface CommandIO {
  out(s: string): void;
  err(s: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
  stdin: NodeJS.ReadableStream;
}

export interface Command {
  /** Space-separated path: "version", "job run". */
  name: string;
  synopsis: string;
  help(): string;
  run(args: string[], io: CommandIO): Promise<number>;
}

export interface RunContext {
  io: CommandIO;
  flags: FlagSet;
  parsed: ParsedFlags;
  args: string[];
  meta: MetaSettings;
  /** The API client, configured from -address/ROAM_ADDR/NOMAD_ADDR and friends. */
  api: RoamApi;
}

export interface CommandSpec {
  name: string;
  synopsis: string;
  /** Usage line and description, shown before the options. */
  usage: string;
  /** Whether the command talks to an agent (adds the general -address/-token… flags). */
  api: boolean;
  /** Command-specific options section of the help text. */
  optionsHelp?: string;
  flags?: (fs: FlagSet) => void;
  run(ctx: RunContext): Promise<number>;
}

export function defineCommand(spec: CommandSpec): Command {
  const help = (): string => [spec.usage.trimEnd(), spec.api ? META_FLAGS_HELP : '', spec.optionsHelp ? spec.optionsHelp.trimEnd() : ''].filter(Boolean).join('\n\n') + '\n';
  return {
    name: spec.name,
    synopsis: spec.synopsis,
    help,
    async run(argv, io) {
      const fs = new FlagSet(spec.name);
      if (spec.api) addMetaFlags(fs);
      spec.flags?.(fs);
      let parsed: ParsedFlags;
      try {
        parsed = fs.parse(argv);
      } catch (err) {
        if (err instanceof HelpRequested) {
          io.out(help());
          return 0;
        }
        if (err instanceof FlagError) {
          io.err(`${err.message}\nFor additional help try 'roam ${spec.name} -help'\n`);
          return 1;
        }
        throw err;
      }
      const meta = metaSettings(fs, io.env, io.isTTY);
      try {
        return await spec.run({ io, flags: fs, parsed, args: parsed.args, meta, api: apiFor(meta) });
      } catch (err) {
        if (err instanceof UsageError) {
          io.err(`${err.message}\nFor additional help try 'roam ${spec.name} -help'\n`);
          return 1;
        }
        io.err(`${describeError(err)}\n`);
        return 1;
      }
    },
  };
}

/** Wrong arguments for a command (not a flag problem): message plus the help hint, exit 1. */
export class UsageError extends Error {}

/** A failure the command explains itself; printed as is. */
export class CommandError extends Error {}

export function describeError(err: unknown): string {
  if (err instanceof ConnectionError) {
    return `Error: cannot reach the Roam agent at ${err.address} (${err.message.replace(/^.*?: /, '')}).\nIs an agent running there? Start one with "roam agent -dev", or point -address / ROAM_ADDR (NOMAD_ADDR) at a running agent.`;
  }
  if (err instanceof ApiError) return `Error: ${err.message}`;
  if (err instanceof CommandError) return err.message;
  return `Error: ${err instanceof Error ? err.message : String(err)}`;
}
