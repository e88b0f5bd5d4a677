// `roam alloc checks ALLOC`: the latest result of each Nomad-provider service check of an
// allocation (Nomad's command/alloc_checks.go), read from the client that runs it.
import { lookupAllocStub } from '../alloc-lookup.js';
import { CommandError, defineCommand, UsageError } from '../command.js';
import { formatAllocChecks } from '../format/checks.js';
import { renderGoTemplate } from '../format/go-template.js';
import { formatJSON } from '../format/table.js';

export const allocChecksCommand = defineCommand({
  name: 'alloc checks',
  synopsis: 'Outputs service health check status information.',
  usage: `Usage: roam alloc checks [options] <allocation>

  Outputs the latest health check status information for services in the allocation
  using the Nomad service discovery provider.`,
  api: true,
  optionsHelp: `Checks Specific Options:

  -verbose
    Show full information.

  -json
    Output the latest health check status information in a JSON format.

  -t
    Format and display the latest health check status information using a Go template.`,
  flags: (fs) => {
    fs.bool('verbose', false, 'Show full information.');
    fs.bool('json', false, 'Output in JSON.');
    fs.string('t', '', 'Format the output with a Go template.');
  },
  async run({ io, api, args, flags }) {
    if (args.length < 1) throw new UsageError('An allocation ID is required');
    if (args.length > 1) throw new UsageError('This command takes one argument (allocation ID)');
    const verbose = flags.getBool('verbose');
    const tmpl = flags.getString('t');
    if (flags.getBool('json') && tmpl) throw new CommandError('Both json and template formatting are not allowed');
    const alloc = await lookupAllocStub(api, args[0] ?? '', verbose);
    let checks;
    try {
      checks = await api.clientFs.allocChecks(alloc.ID, { namespace: alloc.Namespace });
    } catch (err) {
      throw new CommandError(`Error querying allocation checks: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (flags.getBool('json')) {
      io.out(`${formatJSON(checks)}\n`);
      return 0;
    }
    if (tmpl) {
      // Nomad's Format helper: the template over the result map, with the sprig_ functions.
      try {
        io.out(`${renderGoTemplate(tmpl, checks ?? {}, { sprig: true })}\n`);
      } catch (err) {
        throw new CommandError(`Error formatting the data: ${err instanceof Error ? err.message : String(err)}`);
      }
      return 0;
    }
    io.out(`${formatAllocChecks(checks)}\n`);
    return 0;
  },
});
