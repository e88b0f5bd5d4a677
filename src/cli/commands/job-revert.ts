// `roam job revert JOB VERSION`: register an earlier version of a job again and follow the
// evaluation (Nomad's command/job_revert.go). Version tags are not supported yet.
import { CommandError, defineCommand, UsageError } from '../command.js';
import { monitorEval } from '../monitor.js';
import { resolveJobID } from '../format/prefix.js';

export const jobRevertCommand = defineCommand({
  name: 'job revert',
  synopsis: 'Revert to a prior version of the job',
  usage: `Usage: roam job revert [options] <job> <version|tag>

  Revert is used to revert a job to a prior version of the job. The available
  versions to revert to can be found using "roam job history" command.`,
  api: true,
  optionsHelp: `Revert Options:

  -detach
    Return immediately instead of entering monitor mode. After job revert,
    the evaluation ID will be printed to the screen, which can be used to
    examine the evaluation using the eval-status command.

  -verbose
    Display full information.`,
  flags: (fs) => {
    fs.bool('detach', false, 'Return immediately instead of entering monitor mode.');
    fs.bool('verbose', false, 'Display full information.');
  },
  async run({ io, api, args, flags, meta }) {
    if (args.length !== 2) throw new UsageError('This command takes two arguments: <job> <version|tag>');
    const versionArg = args[1] ?? '';
    if (!/^\d+$/.test(versionArg)) throw new CommandError(`Error retrieving job versions: version tags are not supported by Roam yet (${JSON.stringify(versionArg)} is not a version number)`);
    const { id, namespace } = await resolveJobID(api, (args[0] ?? '').trim(), meta.namespace === '*');
    let evalID: string;
    try {
      evalID = (await api.jobs.revert(id, Number(versionArg), undefined, { namespace })).data.EvalID;
    } catch (err) {
      throw new CommandError(`Error retrieving job versions: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!evalID) return 0;
    if (flags.getBool('detach')) {
      io.out(`Evaluation ID: ${evalID}\n`);
      return 0;
    }
    return monitorEval(api, evalID, io, { verbose: flags.getBool('verbose') });
  },
});
