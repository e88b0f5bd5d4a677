// `roam alloc fs ALLOC [PATH]`: lists a directory of the allocation or prints a file, whole,
// tailed (-tail, -n, -c) or followed (-f); -stat shows one entry (Nomad's command/alloc_fs.go).
import type { AllocFileInfo } from '../../api/index.js';
import { frameData, interruptSignal, lookupAlloc, printChunks, tailOffset } from '../alloc-lookup.js';
import { CommandError, defineCommand, UsageError } from '../command.js';
import { humanizeIBytes } from '../format/table.js';
import { formatList, formatTime } from '../output.js';

function fileRows(files: AllocFileInfo[], machine: boolean): string {
  const rows = ['Mode|Size|Modified Time|Name'];
  for (const f of files) {
    const size = machine ? String(f.Size) : humanizeIBytes(f.Size);
    rows.push(`${f.FileMode}|${size}|${formatTime(Date.parse(f.ModTime))}|${f.IsDir ? `${f.Name}/` : f.Name}`);
  }
  return formatList(rows);
}

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

export const allocFsCommand = defineCommand({
  name: 'alloc fs',
  synopsis: 'Inspect the contents of an allocation directory',
  usage: `Usage: roam alloc fs [options] <allocation> <path>

  fs displays either the contents of an allocation directory for the passed
  allocation, or displays the file at the given path. The path is relative to the
  root of the alloc dir and defaults to root if unspecified.`,
  api: true,
  optionsHelp: `FS Specific Options:

  -H
    Machine friendly output.

  -verbose
    Show full information.

  -job <job-id>
    Use a random allocation from the specified job ID or prefix.

  -stat
    Show file stat information instead of displaying the file, or listing the directory.

  -f
    Causes the output to not stop when the end of the file is reached, but rather to
    wait for additional output.

  -tail
    Show the files contents with offsets relative to the end of the file. If no
    offset is given, -n is defaulted to 10.

  -n
    Sets the tail location in best-efforted number of lines relative to the end
    of the file.

  -c
    Sets the tail location in number of bytes relative to the end of the file.`,
  flags: (fs) => {
    fs.bool('H', false, 'Machine friendly output.');
    fs.bool('verbose', false, 'Show full information.');
    fs.bool('job', false, 'Use a random allocation from the job.');
    fs.bool('stat', false, 'Show file stat information.');
    fs.bool('f', false, 'Follow the file.');
    fs.bool('tail', false, 'Offsets relative to the end of the file.');
    fs.int('n', -1, 'Tail location in lines.');
    fs.int('c', -1, 'Tail location in bytes.');
  },
  async run({ io, api, args, flags }) {
    const job = flags.getBool('job');
    if (args.length < 1) throw new UsageError(job ? 'A job ID is required' : 'An allocation ID is required');
    if (args.length > 2) throw new UsageError('This command takes one or two arguments: <allocation> <path>');
    const alloc = await lookupAlloc(api, args[0] ?? '', { verbose: flags.getBool('verbose'), job });
    const path = args[1] || '/';
    const machine = flags.getBool('H');
    let file: AllocFileInfo;
    try {
      file = await api.clientFs.stat(alloc.ID, path);
    } catch (err) {
      throw new CommandError(`Error querying allocation: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (flags.getBool('stat')) {
      io.out(`${fileRows([file], machine)}\n`);
      return 0;
    }
    if (file.IsDir) {
      const files = await api.clientFs.ls(alloc.ID, path);
      io.out(files.length ? `${fileRows(files, machine)}\n` : '');
      return 0;
    }
    const follow = flags.getBool('f');
    const interrupt = interruptSignal();
    try {
      if (!flags.getBool('tail')) {
        if (follow) await printChunks(frameData(await api.clientFs.stream(alloc.ID, path, { origin: 'start', offset: 0, signal: interrupt.signal }), interrupt.signal), io.out, -1);
        else await printChunks(await api.clientFs.cat(alloc.ID, path, interrupt.signal), io.out, -1);
        return 0;
      }
      const from = tailOffset(flags.getInt('n'), flags.getInt('c'), 'Both -n and -c are not allowed');
      const offset = Math.min(from.offset, file.Size);
      const chunks = follow
        ? frameData(await api.clientFs.stream(alloc.ID, path, { origin: 'end', offset, signal: interrupt.signal }), interrupt.signal)
        : once(await api.clientFs.readAt(alloc.ID, path, file.Size - offset, -1));
      await printChunks(chunks, io.out, from.lines);
      return 0;
    } finally {
      interrupt.dispose();
    }
  },
});
