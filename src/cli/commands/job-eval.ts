// `roam job eval JOB`: force a new evaluation of a job and follow it (Nomad's command/job_eval.go).
import { defineCommand, UsageError } from '../command.js';
import { monitorEval } from '../monitor.js';
import { limit } from '../output.js';
import { resolveJobID } from '../format/prefix.js';
import { idLength } from '../format/table.js';

export const jobEvalCommand = defineCommand({
  name: 'job eval',
  synopsis: 'Force an evaluation for the job',
  usage: `Usage: roam job eval [options] <job_id>

  Force an evaluation of the provided job ID. Forcing an evaluation will trigger
  the scheduler to re-evaluate the job. The force flags allow operators to force
  the scheduler to create new allocations under certain scenarios.`,
  api: true,
  optionsHelp: `Eval Options:

  -force-reschedule
    Force reschedule failed allocations even if they are not currently
    eligible for rescheduling.

  -detach
    Return immediately instead of entering monitor mode. The ID
    of the evaluation created will be printed to the screen, which can be
    used to examine the evaluation using the eval-status command.

  -verbose
    Display full information.`,
  flags: (fs) => {
    fs.bool('force-reschedule', false, 'Force reschedule failed allocations.');
    fs.bool('detach', false, 'Return immediately instead of entering monitor mode.');
    fs.bool('verbose', false, 'Display full information.');
  },
  async run({ io, api, args, flags, meta }) {
    if (args.length !== 1) throw new UsageError('This command takes one argument: <job>');
    const verbose = flags.getBool('verbose');
    const { id, namespace } = await resolveJobID(api, (args[0] ?? '').trim(), meta.namespace === '*');
    const { data } = await api.jobs.evaluate(id, flags.getBool('force-reschedule'), { namespace });
    if (flags.getBool('detach')) {
      io.out(`Created eval ID: ${JSON.stringify(limit(data.EvalID, idLength(verbose)))} \n`);
      return 0;
    }
    return monitorEval(api, data.EvalID, io, { verbose });
  },
});
