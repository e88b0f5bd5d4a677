// `roam job periodic force [options] <job>`: launch a periodic job now, regardless of its schedule
// and prohibit_overlap, and follow the child's evaluation (Nomad's command/job_periodic_force.go).
import { defineCommand, CommandError, UsageError } from '../command.js';
import { monitorEval } from '../monitor.js';
import { resolveJobID } from '../format/prefix.js';

export const jobPeriodicForceCommand = defineCommand({
  name: 'job periodic force',
  synopsis: 'Force the launch of a periodic job',
  usage: `Usage: roam job periodic force <job id>

  This command is used to force the creation of a new instance of a periodic job.
  This is used to immediately run a periodic job, even if it violates the job's
  prohibit_overlap setting.`,
  api: true,
  optionsHelp: `Periodic Force Options:

  -detach
    Return immediately instead of entering monitor mode. After the force,
    the evaluation ID will be printed to the screen, which can be used to
    examine the evaluation using the eval-status command.

  -verbose
    Display full information.`,
  flags: (f) => {
    f.bool('detach', false, 'Return immediately instead of entering monitor mode.');
    f.bool('verbose', false, 'Display full information.');
  },
  async run({ io, api, args, flags, meta }) {
    if (args.length !== 1) throw new UsageError('This command takes one argument: <job id>');
    const { id, namespace } = await resolveJobID(api, (args[0] ?? '').trim(), meta.namespace === '*');
    let evalID: string;
    try {
      evalID = (await api.jobs.periodicForce(id, { namespace })).data.EvalID;
    } catch (err) {
      throw new CommandError(`Error forcing periodic job ${JSON.stringify(id)}: ${(err as Error).message}`);
    }
    if (flags.getBool('detach')) {
      io.out(`Force periodic successful\nEvaluation ID: ${evalID}\n`);
      return 0;
    }
    return monitorEval(api, evalID, io, { verbose: flags.getBool('verbose') });
  },
});
