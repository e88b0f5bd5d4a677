// `roam service info NAME`: the registrations of one Nomad-provider service
// (Nomad's command/service_info.go).
import type { ServiceRegistration } from '../../structs/services.js';
import { defineCommand, UsageError } from '../command.js';
import { formatKV } from '../output.js';
import { formatJSON, formatTable } from '../format/table.js';
import { formatServiceTags } from './service-list.js';

function short(id: string, verbose: boolean): string {
  return verbose ? id : id.slice(0, 8);
}

export function formatServiceInfo(regs: readonly ServiceRegistration[], verbose: boolean): string {
  if (verbose) {
    return regs
      .map((r) =>
        formatKV([
          ['ID', r.ID],
          ['Service Name', r.ServiceName],
          ['Namespace', r.Namespace],
          ['Job ID', r.JobID],
          ['Alloc ID', r.AllocID],
          ['Node ID', r.NodeID],
          ['Datacenter', r.Datacenter],
          ['Address', `${r.Address}:${r.Port}`],
          ['Tags', formatServiceTags(r.Tags)],
        ]),
      )
      .join('\n\n');
  }
  return formatTable(['Job ID|Address|Tags|Node ID|Alloc ID', ...regs.map((r) => `${r.JobID}|${r.Address}:${r.Port}|${formatServiceTags(r.Tags)}|${short(r.NodeID, false)}|${short(r.AllocID, false)}`)]);
}

export const serviceInfoCommand = defineCommand({
  name: 'service info',
  synopsis: 'Display an individual Roam service registration',
  usage: `Usage: roam service info [options] <service_name>

  Info is used to read the services registered to a single service name.`,
  api: true,
  optionsHelp: `Service Info Options:

  -json
    Output the service in JSON format.

  -verbose
    Display full information.

  -filter
    Specifies an expression used to filter query results.`,
  flags: (fs) => {
    fs.bool('json', false, 'Output in JSON.');
    fs.bool('verbose', false, 'Display full information.');
    fs.string('filter', '', 'Filter expression.', '<expression>');
  },
  async run({ io, api, args, flags }) {
    if (args.length !== 1) throw new UsageError('This command takes one argument: <service_name>');
    const { data } = await api.services.info(args[0] ?? '', { filter: flags.getString('filter') });
    if (flags.getBool('json')) {
      io.out(`${formatJSON(data)}\n`);
      return 0;
    }
    if (data.length === 0) {
      io.out('No service registrations found\n');
      return 0;
    }
    io.out(`${formatServiceInfo(data, flags.getBool('verbose'))}\n`);
    return 0;
  },
});
