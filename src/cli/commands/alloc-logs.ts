// `roam alloc logs ALLOC [TASK]` (alias `roam logs`): a task's stdout or stderr, whole, tailed
// (-tail, -n lines, -c bytes) or followed (-f), as Nomad's command/alloc_logs.go does it. `-f`
// alone follows both streams from their current ends, stdout to stdout and stderr to stderr.
import type { RoamApi, StreamFrame } from '../../api/index.js';
import type { Allocation } from '../../structs/alloc.js';
import { frameData, interruptSignal, lookupAlloc, printChunks, selectTask, tailOffset } from '../alloc-lookup.js';
import { CommandError, defineCommand, UsageError, type CommandSpec } from '../command.js';

async function followBoth(api: RoamApi, alloc: Allocation, task: string, out: (s: string) => void, err: (s: string) => void, signal: AbortSignal): Promise<void> {
  const open = async (type: 'stdout' | 'stderr'): Promise<AsyncIterable<StreamFrame>> => {
    try {
      return await api.clientFs.logs(alloc.ID, task, { type, follow: true, origin: 'end', offset: 1, signal });
    } catch (e) {
      throw new CommandError(`Failed to tail stdout and stderr files: failed to setup ${type} log tailing: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const [o, e] = [await open('stdout'), await open('stderr')];
  await Promise.all([printChunks(frameData(o, signal), out, -1), printChunks(frameData(e, signal), err, -1)]);
}

const spec: Omit<CommandSpec, 'name' | 'synopsis'> = {
  usage: `Usage: roam alloc logs [options] <allocation> <task>

  Streams the stdout/stderr of the given allocation and task.`,
  api: true,
  optionsHelp: `Logs Specific Options:

  -stdout
    Display stdout logs. This is used as the default value in all commands
    except when using the "-f" flag where both stdout and stderr are used as
    default.

  -stderr
    Display stderr logs.

  -task <task-name>
    Sets the task to view the logs. If task name is given with both an argument
    and the '-task' option, preference is given to the '-task' option.

  -job <job-id>
    Use a random allocation from the specified job ID or prefix.

  -verbose
    Show full information.

  -f
    Causes the output to not stop when the end of the logs are reached, but
    rather to wait for additional output. When supplied with no other flags
    except optionally "-job" and "-task", both stdout and stderr logs will be
    followed.

  -tail
    Show the logs contents with offsets relative to the end of the logs. If no
    offset is given, -n is defaulted to 10.

  -n
    Sets the tail location in best-efforted number of lines relative to the end
    of the logs.

  -c
    Sets the tail location in number of bytes relative to the end of the logs.`,
  flags: (fs) => {
    fs.bool('verbose', false, 'Show full information.');
    fs.bool('job', false, 'Use a random allocation from the job.');
    fs.bool('tail', false, 'Offsets relative to the end of the logs.');
    fs.bool('f', false, 'Follow the logs.');
    fs.bool('stderr', false, 'Display stderr logs.');
    fs.bool('stdout', false, 'Display stdout logs.');
    fs.int('n', -1, 'Tail location in lines.');
    fs.int('c', -1, 'Tail location in bytes.');
    fs.string('task', '', 'The task to show logs of.');
  },
  async run({ io, api, args, flags }) {
    const job = flags.getBool('job');
    if (args.length < 1) throw new UsageError(job ? 'A job ID is required' : 'An allocation ID is required');
    if (args.length > 2) throw new UsageError('This command takes one or two arguments');
    const alloc = await lookupAlloc(api, args[0] ?? '', { verbose: flags.getBool('verbose'), job });
    const task = selectTask(alloc, flags.getString('task'), args[1]);
    const follow = flags.getBool('f');
    const stderr = flags.getBool('stderr');
    const stdout = flags.getBool('stdout');
    const tail = flags.getBool('tail');
    const lines = flags.getInt('n');
    const bytes = flags.getInt('c');
    const interrupt = interruptSignal();
    try {
      if (follow && !(stderr || stdout || tail || lines > 0 || bytes > 0)) {
        await followBoth(api, alloc, task, io.out, io.err, interrupt.signal);
        return 0;
      }
      if (stderr && stdout) throw new CommandError('Unable to support both stdout and stderr');
      const type = stderr ? 'stderr' : 'stdout';
      const from = tail ? tailOffset(lines, bytes, `Failed to read ${type} file: both -n and -c set`) : { lines: -1, offset: 0 };
      let frames: AsyncIterable<StreamFrame>;
      try {
        frames = await api.clientFs.logs(alloc.ID, task, { type, follow, origin: tail ? 'end' : 'start', offset: from.offset, signal: interrupt.signal });
      } catch (e) {
        throw new CommandError(`Failed to read ${type} file: error ${tail ? 'tailing' : 'reading'} file: ${e instanceof Error ? e.message : String(e)}`);
      }
      await printChunks(frameData(frames, interrupt.signal), io.out, from.lines);
      return 0;
    } finally {
      interrupt.dispose();
    }
  },
};

export const allocLogsCommand = defineCommand({ name: 'alloc logs', synopsis: 'Streams the logs of a task.', ...spec });
export const logsAliasCommand = defineCommand({ name: 'logs', synopsis: 'Streams the logs of a task.', ...spec });
