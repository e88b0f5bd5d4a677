// The CLI's entry: builds the command registry and runs one command line. `extra` lets the binary
// add commands the CLI itself may not own (the agent), keeping src/cli free of server code.
import type { Command, CommandIO } from './command.js';
import { allCommands } from './commands/index.js';
import { Registry } from './registry.js';

export function buildRegistry(extra: Command[] = []): Registry {
  return new Registry().add(...allCommands, ...extra);
}

export function processIO(): CommandIO {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    stdin: process.stdin,
  };
}

export async function runCli(argv: string[], io: CommandIO = processIO(), extra: Command[] = []): Promise<number> {
  return buildRegistry(extra).run(argv, io);
}
