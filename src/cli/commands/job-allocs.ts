// `roam job allocs JOB`: the allocations of a job (Nomad's command/job_allocs.go).
import { defineCommand, UsageError } from '../command.js';
import { formatAllocListStubs } from '../format/allocs.js';
import { resolveJobID } from '../format/prefix.js';
import { formatJSON, idLength } from '../format/table.js';

export const jobAllocsCommand = defineCommand({
  name: 'job allocs',
  synopsis: 'List allocations for a job',
  usage: `Usage: roam job allocs [options] <job>

  Display allocations for a particular job.`,
  api: true,
  optionsHelp: `Allocs Options:

  -all
    Display all allocations matching the job ID, even those from an older
    instance of the job.

  -json
    Output the allocation in its JSON format.

  -verbose
    Display full information.`,
  flags: (fs) => {
    fs.bool('all', false, 'Display all allocations matching the job ID.');
    fs.bool('json', false, 'Output in JSON.');
    fs.bool('verbose', false, 'Display full information.');
  },
  async run({ io, api, args, flags, meta }) {
    if (args.length !== 1) throw new UsageError('This command takes one argument: <job>');
    const { id, namespace } = await resolveJobID(api, (args[0] ?? '').trim(), meta.namespace === '*');
    const [{ data: job }, { data: allocs }] = await Promise.all([api.jobs.info(id, { namespace }), api.jobs.allocations(id, flags.getBool('all'), { namespace })]);
    if (flags.getBool('json')) {
      io.out(`${formatJSON(allocs)}\n`);
      return 0;
    }
    const verbose = flags.getBool('verbose');
    io.out(`${formatAllocListStubs(allocs, verbose, idLength(verbose), job)}\n`);
    return 0;
  },
});
