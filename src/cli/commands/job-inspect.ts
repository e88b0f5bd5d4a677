// `roam job inspect [JOB]`: the job as the servers store it, as JSON — `{"Job": …}` indented by
// four spaces, or the bare job with -json (Nomad's command/job_inspect.go). Without an argument
// and with -json, the job list.
import type { Job } from '../../structs/job.js';
import { CommandError, defineCommand, UsageError } from '../command.js';
import { resolveJobID } from '../format/prefix.js';
import { formatJSON } from '../format/table.js';

export const jobInspectCommand = defineCommand({
  name: 'job inspect',
  synopsis: 'Inspect a submitted job',
  usage: `Usage: roam job inspect [options] <job>

  Inspect is used to see the specification of a submitted job.`,
  api: true,
  optionsHelp: `Inspect Options:

  -version <job version>
    Display the job at the given job version.

  -json
    Output the job in its JSON format.

  -hcl
    Output the original HCL submitted with the job (not supported by Roam yet).`,
  flags: (fs) => {
    fs.string('version', '', 'Display the job at the given job version.', '<job version>');
    fs.bool('json', false, 'Output the job in its JSON format.');
    fs.bool('hcl', false, 'Output the original HCL submitted with the job.');
    fs.bool('with-vars', false, 'Include the variables submitted with the job (with -hcl).');
  },
  async run({ io, api, args, flags, meta }) {
    const json = flags.getBool('json');
    const hcl = flags.getBool('hcl');
    if (hcl && json) throw new CommandError('can only use one of -hcl or -json');
    if (flags.getBool('with-vars') && !hcl) throw new CommandError('can only use -with-vars with -hcl');
    if (args.length === 0 && json) {
      const { data: jobs } = await api.jobs.list();
      io.out(`${formatJSON(jobs)}\n`);
      return 0;
    }
    if (args.length !== 1) throw new UsageError('This command takes one argument: <job>');
    const { id, namespace } = await resolveJobID(api, (args[0] ?? '').trim(), meta.namespace === '*');
    if (hcl) throw new CommandError('Error inspecting job: Roam does not keep job submissions yet, so the original HCL is not available');
    const versionStr = flags.getString('version');
    let job: Job;
    if (versionStr === '') job = (await api.jobs.info(id, { namespace })).data;
    else {
      if (!/^\d+$/.test(versionStr)) throw new CommandError(`Error parsing version value ${JSON.stringify(versionStr)}: strconv.ParseUint: parsing ${JSON.stringify(versionStr)}: invalid syntax`);
      const found = (await api.jobs.versions(id, false, { namespace })).data.Versions.find((v) => v.Version === Number(versionStr));
      if (!found) throw new CommandError(`Error inspecting job: job ${JSON.stringify(id)} with version ${versionStr} couldn't be found`);
      job = found;
    }
    io.out(`${formatJSON(json ? job : { Job: job })}\n`);
    return 0;
  },
});
