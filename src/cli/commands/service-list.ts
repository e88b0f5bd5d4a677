// `roam service list`: the Nomad-provider services per namespace with their tags
// (Nomad's command/service_list.go).
import { defineCommand, UsageError } from '../command.js';
import { formatJSON, formatTable } from '../format/table.js';

/** Nomad's tag column: "[a,b]". */
export function formatServiceTags(tags: readonly string[] | null): string {
  return `[${(tags ?? []).join(',')}]`;
}

export const serviceListCommand = defineCommand({
  name: 'service list',
  synopsis: 'Display all registered Roam services',
  usage: `Usage: roam service list [options]

  List is used to list the currently registered services.`,
  api: true,
  optionsHelp: `List Options:

  -json
    Output the services in JSON format.`,
  flags: (fs) => {
    fs.bool('json', false, 'Output in JSON.');
  },
  async run({ io, api, args, flags }) {
    if (args.length !== 0) throw new UsageError('This command takes no arguments');
    const { data } = await api.services.list();
    if (flags.getBool('json')) {
      io.out(`${formatJSON(data)}\n`);
      return 0;
    }
    const entries = data.flatMap((ns) => ns.Services.map((s) => ({ ns: ns.Namespace, ...s })));
    if (entries.length === 0) {
      io.out('No service registrations found\n');
      return 0;
    }
    const multiNs = new Set(entries.map((e) => e.ns)).size > 1;
    const rows = multiNs ? ['Service Name|Namespace|Tags', ...entries.map((e) => `${e.ServiceName}|${e.ns}|${formatServiceTags(e.Tags)}`)] : ['Service Name|Tags', ...entries.map((e) => `${e.ServiceName}|${formatServiceTags(e.Tags)}`)];
    io.out(`${formatTable(rows)}\n`);
    return 0;
  },
});
