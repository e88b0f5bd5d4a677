// `roam alloc signal [-s SIG] ALLOC [TASK]`: sends a signal to an allocation's running tasks, or
// to one task (Nomad's command/alloc_signal.go; the default signal is SIGKILL, as Nomad's).
import { lookupAlloc, selectTask } from '../alloc-lookup.js';
import { CommandError, defineCommand, UsageError } from '../command.js';

export const allocSignalCommand = defineCommand({
  name: 'alloc signal',
  synopsis: 'Signal a running allocation',
  usage: `Usage: roam alloc signal [options] <allocation> <task>

  Signal an existing allocation. This command is used to signal a specific alloc
  and its subtasks. If no task is provided then all of the allocations subtasks
  will receive the signal.`,
  api: true,
  optionsHelp: `Signal Specific Options:

  -s
    Specify the signal that the selected tasks should receive. Defaults to SIGKILL.

  -task <task-name>
    Specify the individual task that will receive the signal. If task name is given
    with both an argument and the '-task' option, preference is given to the '-task'
    option.

  -verbose
    Show full information.`,
  flags: (fs) => {
    fs.string('s', 'SIGKILL', 'The signal to send.');
    fs.string('task', '', 'The task to signal.');
    fs.bool('verbose', false, 'Show full information.');
  },
  async run({ api, args, flags }) {
    if (args.length < 1 || args.length > 2) throw new UsageError('This command takes up to two arguments: <alloc-id> <task>');
    const alloc = await lookupAlloc(api, args[0] ?? '', { verbose: flags.getBool('verbose') });
    const flagTask = flags.getString('task');
    const task = flagTask || args[1] !== undefined ? selectTask(alloc, flagTask, args[1]) : '';
    try {
      await api.clientFs.signal(alloc.ID, task, flags.getString('s'));
    } catch (err) {
      throw new CommandError(`Error signalling allocation: ${err instanceof Error ? err.message : String(err)}`);
    }
    return 0;
  },
});
