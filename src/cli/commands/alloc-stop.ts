// `roam alloc stop ALLOC`: stop (and reschedule) one allocation, then follow the evaluation the
// server created (Nomad's command/alloc_stop.go).
import { CommandError, defineCommand, UsageError } from '../command.js';
import { monitorEval } from '../monitor.js';
import { lookupAllocStub } from '../alloc-lookup.js';

export const allocStopCommand = defineCommand({
  name: 'alloc stop',
  synopsis: 'Stop and reschedule a running allocation',
  usage: `Usage: roam alloc stop [options] <allocation>

  Stop an existing allocation. This command is used to signal a specific alloc
  to shut down. When the allocation has been shut down, it will then be
  rescheduled. An interactive monitoring session will display log lines as the
  allocation completes shutting down.`,
  api: true,
  optionsHelp: `Stop Specific Options:

  -detach
    Return immediately instead of entering monitor mode. After the
    stop command is submitted, a new evaluation ID is printed to the
    screen, which can be used to examine the rescheduling evaluation using the
    eval-status command.

  -no-shutdown-delay
    Ignore the group and task shutdown_delay configuration so there is no
    delay between service deregistration and task shutdown.

  -verbose
    Show full information.`,
  flags: (fs) => {
    fs.bool('detach', false, 'Return immediately instead of entering monitor mode.');
    fs.bool('verbose', false, 'Show full information.');
    fs.bool('no-shutdown-delay', false, 'Ignore shutdown_delay.');
  },
  async run({ io, api, args, flags }) {
    if (args.length !== 1) throw new UsageError('This command takes one argument: <alloc-id>');
    const verbose = flags.getBool('verbose');
    const first = await lookupAllocStub(api, args[0] ?? '', verbose);
    const params: Record<string, string> = {};
    if (first.JobType === 'batch') params['reschedule'] = 'true';
    if (flags.getBool('no-shutdown-delay')) params['no_shutdown_delay'] = 'true';
    let evalID: string;
    try {
      evalID = (await api.http.post<{ EvalID: string }>(`/v1/allocation/${encodeURIComponent(first.ID)}/stop`, undefined, { namespace: first.Namespace, params })).data.EvalID;
    } catch (err) {
      throw new CommandError(`Error stopping allocation: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (flags.getBool('detach')) {
      io.out(`${evalID}\n`);
      return 0;
    }
    return monitorEval(api, evalID, io, { verbose });
  },
});
