// `roam alloc exec ALLOC COMMAND [ARGS…]` (alias `roam exec`): runs a command in a task's
// context over the exec WebSocket (Nomad's command/alloc_exec.go). With -t the local terminal is
// put in raw mode for the session and restored afterwards; `~.` at the start of a line (the -e
// escape character) ends the session. The CLI exits with the command's exit code.
import { ExecError } from '../../api/index.js';
import { lookupAlloc, selectTask } from '../alloc-lookup.js';
import { CommandError, defineCommand, UsageError, type CommandSpec } from '../command.js';

/** A queue read as an async iterable (terminal resizes). */
function eventFeed<T>(): { push(v: T): void; end(): void; iterable: AsyncIterable<T> } {
  const items: T[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    push(v) {
      items.push(v);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    iterable: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const v = items.shift();
          if (v !== undefined) {
            yield v;
            continue;
          }
          if (ended) return;
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      },
    },
  };
}

/**
 * The user's input with the escape sequence taken out: `<esc>.` at the start of a line calls
 * `onClose` and ends the input; `<esc><esc>` sends one escape character.
 */
export async function* escapedInput(input: AsyncIterable<Buffer | string>, escape: number | undefined, onClose: () => void): AsyncGenerator<Uint8Array> {
  let lineStart = true;
  let pending = false;
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    if (escape === undefined) {
      yield chunk;
      continue;
    }
    const out: number[] = [];
    for (const b of chunk) {
      if (pending) {
        pending = false;
        if (b === 0x2e) {
          if (out.length) yield Buffer.from(out);
          onClose();
          return;
        }
        if (b !== escape) out.push(escape);
        out.push(b);
        lineStart = b === 0x0d || b === 0x0a;
        continue;
      }
      if (lineStart && b === escape) {
        pending = true;
        continue;
      }
      out.push(b);
      lineStart = b === 0x0d || b === 0x0a;
    }
    if (out.length) yield Buffer.from(out);
  }
}

const spec: Omit<CommandSpec, 'name' | 'synopsis'> = {
  usage: `Usage: roam alloc exec [options] <allocation> <command>

  Run command inside the environment of the given allocation and task.`,
  api: true,
  optionsHelp: `Exec Specific Options:

  -task <task-name>
    Sets the task to exec command in

  -job
    Use a random allocation from the specified job ID or prefix.

  -i
    Pass stdin to the container, defaults to true.  Pass -i=false to disable.

  -t
    Allocate a pseudo-tty, defaults to true if stdin is detected to be a tty session.
    Pass -t=false to disable explicitly.

  -e <escape_char>
    Sets the escape character for sessions with a pty (default: ~).  The escape
    character is only recognized at the beginning of a line.  The escape character
    followed by a dot ('.') closes the connection.  Setting the character to
    'none' disables any escapes and makes the session fully transparent.`,
  flags: (fs) => {
    fs.string('task', '', 'The task to exec the command in.');
    fs.bool('job', false, 'Use a random allocation from the job.');
    fs.bool('i', true, 'Pass stdin to the command.');
    fs.bool('t', false, 'Allocate a pseudo-tty.');
    fs.string('e', '~', 'Escape character.');
  },
  async run({ io, api, args, flags, parsed }) {
    const job = flags.getBool('job');
    if (args.length < 1) throw new UsageError(job ? 'A job ID is required' : 'An allocation ID is required');
    if (args.length < 2) throw new UsageError('This command requires at least two arguments: an allocation ID and command');
    const escapeFlag = flags.getString('e');
    if (escapeFlag !== 'none' && escapeFlag.length !== 1) throw new UsageError("-e requires 'none' or a single character");
    const stdin = io.stdin as NodeJS.ReadStream;
    const stdinTTY = Boolean(stdin.isTTY);
    const tty = parsed.set.has('t') ? flags.getBool('t') : stdinTTY && io.isTTY;
    const interactive = flags.getBool('i');
    const alloc = await lookupAlloc(api, args[0] ?? '', { verbose: false, job });
    const task = selectTask(alloc, flags.getString('task'), undefined);
    const command = args.slice(1);

    const ctl = new AbortController();
    let escaped = false;
    const escape = tty && escapeFlag !== 'none' ? escapeFlag.charCodeAt(0) : undefined;
    const input = interactive ? escapedInput(stdin as AsyncIterable<Buffer>, escape, () => ((escaped = true), ctl.abort())) : undefined;
    const resize = eventFeed<{ width: number; height: number }>();
    const out = process.stdout;
    const onResize = (): void => resize.push({ width: out.columns, height: out.rows });
    const raw = tty && stdinTTY && typeof stdin.setRawMode === 'function';
    if (raw) stdin.setRawMode(true);
    if (tty && out.isTTY) {
      onResize();
      out.on('resize', onResize);
    }
    const outDecoder = new TextDecoder();
    const errDecoder = new TextDecoder();
    try {
      return await api.clientFs.exec(alloc.ID, {
        task,
        command,
        tty,
        ...(input ? { stdin: input } : {}),
        resize: resize.iterable,
        stdout: (d) => io.out(outDecoder.decode(d, { stream: true })),
        stderr: (d) => io.err(errDecoder.decode(d, { stream: true })),
        signal: ctl.signal,
      });
    } catch (err) {
      if (escaped) return 0;
      if (err instanceof ExecError) throw new CommandError(`failed to exec into task: ${err.reason || `connection closed with code ${err.code}`}`);
      throw err;
    } finally {
      if (raw) stdin.setRawMode(false);
      out.off('resize', onResize);
      resize.end();
      if (interactive) stdin.pause();
    }
  },
};

export const allocExecCommand = defineCommand({ name: 'alloc exec', synopsis: 'Execute commands in task', ...spec });
export const execAliasCommand = defineCommand({ name: 'exec', synopsis: 'Execute commands in task', ...spec });
