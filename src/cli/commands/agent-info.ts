// `roam agent-info`: the local agent's runtime statistics, by section, as Nomad prints them.
import { defineCommand, UsageError } from '../command.js';

export const agentInfoCommand = defineCommand({
  name: 'agent-info',
  synopsis: 'Display status information about the local agent',
  usage: `Usage: roam agent-info [options]

  Display status information about the local agent.`,
  api: true,
  optionsHelp: `Agent Info Options:

  -json
    Output the agent info in its JSON format.`,
  flags: (fs) => fs.bool('json', false, 'Output in JSON.'),
  async run({ io, api, args, flags }) {
    if (args.length) throw new UsageError('This command takes no arguments');
    const { data } = await api.agent.self();
    if (flags.getBool('json')) {
      io.out(`${JSON.stringify(data, null, 4)}\n`);
      return 0;
    }
    const lines: string[] = [];
    for (const section of Object.keys(data.stats).sort()) {
      lines.push(section);
      const kv = data.stats[section] ?? {};
      for (const k of Object.keys(kv).sort()) lines.push(`  ${k} = ${kv[k] ?? ''}`);
    }
    io.out(`${lines.join('\n')}\n`);
    return 0;
  },
});
