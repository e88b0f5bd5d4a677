// The roam binary's entry point: one binary, as Nomad's. `roam agent …` runs an agent; every
// other command is the CLI, which reaches agents only over the HTTP API.
import { agentHelp, runAgentCommand } from './agent/command.js';
import type { Command } from './cli/command.js';
import { runCli } from './cli/main.js';

const agentCommand: Command = {
  name: 'agent',
  synopsis: 'Runs a Roam agent',
  help: () => agentHelp,
  run: (args) => runAgentCommand(args),
};

async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), undefined, [agentCommand]);
  // Flush stdout/stderr before leaving; a command that still has handles open must not hang the CLI.
  process.exitCode = code;
  if (process.argv[2] !== 'agent') setImmediate(() => process.exit(code));
}

main().catch((err: unknown) => {
  process.stderr.write(`roam: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
