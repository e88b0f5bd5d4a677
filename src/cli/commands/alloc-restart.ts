// `roam alloc restart ALLOC [TASK]`: restarts a running allocation's tasks in place, without
// rescheduling and without counting against the restart policy (Nomad's command/alloc_restart.go).
import { lookupAlloc, selectTask } from '../alloc-lookup.js';
import { CommandError, defineCommand, UsageError } from '../command.js';

export const allocRestartCommand = defineCommand({
  name: 'alloc restart',
  synopsis: 'Restart a running allocation',
  usage: `Usage: roam alloc restart [options] <allocation> <task>

  Restart an existing allocation. This command is used to restart a specific alloc
  and its tasks. If no task is provided then all of the allocation's tasks that
  are currently running will be restarted.`,
  api: true,
  optionsHelp: `Restart Specific Options:

  -all-tasks
    If set, all tasks in the allocation will be restarted, even the ones that
    already ran. Option cannot be used with '-task' or the '<task>' argument.

  -task <task-name>
    Specify the individual task to restart. If task name is given with both an
    argument and the '-task' option, preference is given to the '-task' option.
    Option cannot be used with '-all-tasks'.

  -verbose
    Show full information.`,
  flags: (fs) => {
    fs.bool('all-tasks', false, 'Restart all tasks.');
    fs.string('task', '', 'The task to restart.');
    fs.bool('verbose', false, 'Show full information.');
  },
  async run({ api, args, flags }) {
    if (args.length < 1 || args.length > 2) throw new UsageError('This command takes one or two arguments: <alloc-id> <task>');
    const all = flags.getBool('all-tasks');
    const flagTask = flags.getString('task');
    if (all && (flagTask || args[1] !== undefined)) throw new CommandError('The -all-tasks option cannot be used with a task name');
    const alloc = await lookupAlloc(api, args[0] ?? '', { verbose: flags.getBool('verbose') });
    const task = flagTask || args[1] !== undefined ? selectTask(alloc, flagTask, args[1]) : '';
    try {
      await api.clientFs.restart(alloc.ID, task, all);
    } catch (err) {
      throw new CommandError(`Failed to restart allocation:\n\n${err instanceof Error ? err.message : String(err)}`);
    }
    return 0;
  },
});
