// `roam status [ID]`: with no argument, the list of jobs (as `roam job status`); with an
// identifier prefix, the status of the job it names.
import { jobListRows } from '../job-list.js';
import { defineCommand, UsageError } from '../command.js';

export const statusCommand = defineCommand({
  name: 'status',
  synopsis: 'Display the status output for a resource',
  usage: `Usage: roam status [options] <identifier>

  Display the status output for any Roam resource. The command will
  detect the type of resource being queried and display the appropriate
  status output. If no identifier is given, the list of jobs is shown.`,
  api: true,
  optionsHelp: `Status Options:

  -verbose
    Display full information.`,
  flags: (fs) => fs.bool('verbose', false, 'Display full information.'),
  async run({ io, api, args, meta }) {
    if (args.length > 1) throw new UsageError('This command takes either no arguments or one: <identifier>');
    const { data } = await api.jobs.list(args[0] ? { prefix: args[0] } : {});
    if (data.length === 0) {
      io.out(args[0] ? `No job(s) with prefix or ID "${args[0]}" found\n` : 'No running jobs\n');
      return args[0] ? 1 : 0;
    }
    io.out(`${jobListRows(data, meta.namespace === '*')}\n`);
    return 0;
  },
});
