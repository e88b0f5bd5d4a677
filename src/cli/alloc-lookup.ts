// What the per-allocation commands (logs, fs, exec, restart, signal, checks) share: the one
// allocation an ID prefix (or, with -job, a job) names, the task a command acts on (named, or
// implied when the group has one task), following a stream until interrupted, and keeping the last
// lines of output.
// Errors are worded as Nomad's commands word them.
import type { RoamApi, StreamFrame } from '../api/index.js';
import type { Allocation, AllocListStub } from '../structs/alloc.js';
import { lookupTaskGroup } from '../structs/job.js';
import { CommandError } from './command.js';
import { formatAllocListStubs } from './format/allocs.js';
import { allocsByPrefix } from './format/prefix.js';
import { idLength } from './format/table.js';
import { limit } from './output.js';

/** Nomad's bytesToLines: the bytes fetched per requested line when tailing. */
const BYTES_PER_LINE = 120;
const DEFAULT_TAIL_LINES = 10;

/**
 * Where `-tail` starts, counted back from the end, as Nomad's alloc fs and alloc logs reckon it:
 * -n lines (BYTES_PER_LINE each), else -c bytes, else the last DEFAULT_TAIL_LINES lines. `lines`
 * is how many lines of what is read to print (-1: all). Both -n and -c set is the `bothSet` error.
 */
export function tailOffset(lines: number, bytes: number, bothSet: string): { lines: number; offset: number } {
  if (lines !== -1 && bytes !== -1) throw new CommandError(bothSet);
  if (lines !== -1) return { lines, offset: lines * BYTES_PER_LINE };
  if (bytes !== -1) return { lines, offset: bytes };
  return { lines: DEFAULT_TAIL_LINES, offset: DEFAULT_TAIL_LINES * BYTES_PER_LINE };
}

/** The one allocation `id` names (an ID or unique prefix), or, with `job`, a running allocation of that job. */
export async function lookupAlloc(api: RoamApi, id: string, opts: { verbose: boolean; job?: boolean }): Promise<Allocation> {
  let allocID = id;
  if (opts.job) {
    const stubs = (await api.jobs.allocations(id)).data.filter((a) => a.ClientStatus === 'running');
    const pick = stubs[Math.floor(Math.random() * stubs.length)];
    if (!pick) throw new CommandError(`Error fetching allocations: job ${JSON.stringify(id)} has no running allocations`);
    allocID = pick.ID;
  }
  const stub = await lookupAllocStub(api, allocID, opts.verbose);
  return (await api.allocations.info(stub.ID, { namespace: stub.Namespace })).data;
}

/** The list stub of the one allocation `id` (an ID or unique prefix) names; several matches are Nomad's error listing them. */
export async function lookupAllocStub(api: RoamApi, id: string, verbose: boolean): Promise<AllocListStub> {
  const stubs = await allocsByPrefix(api, id, 'Alloc ID must contain at least two characters.');
  if (stubs.length > 1) throw new CommandError(`Prefix matched multiple allocations\n\n${formatAllocListStubs(stubs, verbose, idLength(verbose))}`);
  return stubs[0];
}

function groupTasks(alloc: Allocation): string[] {
  const tg = alloc.Job ? lookupTaskGroup(alloc.Job, alloc.TaskGroup) : undefined;
  if (!tg) throw new CommandError(`Failed to validate task: Could not find allocation task group: ${alloc.TaskGroup}`);
  return tg.Tasks.map((t) => t.Name);
}

/**
 * The task a command acts on: `-task`, else the second argument, else the group's only task.
 * Several tasks and none named is Nomad's error listing them.
 */
export function selectTask(alloc: Allocation, flagTask: string, argTask: string | undefined): string {
  const names = groupTasks(alloc);
  if (flagTask) {
    if (!names.includes(flagTask)) throw new CommandError(`Failed to validate task: Could not find task named: ${flagTask}, found:\n${names.map((n) => `  * ${n}`).join('\n')}`);
    return flagTask;
  }
  if (argTask !== undefined) {
    if (argTask === '') throw new CommandError('Task name required');
    if (!names.includes(argTask)) throw new CommandError(`Failed to validate task: Could not find task named: ${argTask}, found:\n${names.map((n) => `  * ${n}`).join('\n')}`);
    return argTask;
  }
  const [only, ...rest] = names;
  if (only !== undefined && rest.length === 0) return only;
  const list = names.map((n) => `  * ${n}\n`).join('');
  throw new CommandError(`Failed to validate task: Allocation ${JSON.stringify(limit(alloc.ID, 8))} is running the following tasks:\n${list}\nPlease specify the task.`);
}

/** An AbortSignal fired by SIGINT/SIGTERM (Ctrl-C ends a follow cleanly, exit 0); `dispose` removes the handlers. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const ctl = new AbortController();
  const onSignal = (): void => ctl.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: ctl.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The data of a stream's frames; a stream broken by the interrupt (`signal` aborted) just ends. */
export async function* frameData(frames: AsyncIterable<StreamFrame>, signal: AbortSignal): AsyncGenerator<Buffer> {
  try {
    for await (const f of frames) yield f.Data;
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}

/** The last `n` lines of `text` (Nomad's LineLimitReader keeps the trailing newline). */
export function lastLines(text: string, n: number): string {
  if (n <= 0) return '';
  const trailing = text.endsWith('\n');
  const lines = (trailing ? text.slice(0, -1) : text).split('\n');
  return lines.slice(-n).join('\n') + (trailing ? '\n' : '');
}

/**
 * Prints a stream of data chunks; with `lines`, first collects what arrives until the stream goes
 * idle (an empty chunk: a heartbeat), ends or `idleMs` passes, and prints only its last `lines`
 * lines, then everything after (Nomad's LineLimitReader).
 */
export async function printChunks(chunks: AsyncIterable<Buffer>, write: (s: string) => void, lines: number, idleMs = 1000): Promise<void> {
  const decoder = new TextDecoder();
  let held: string | undefined = lines >= 0 ? '' : undefined;
  const started = Date.now();
  const flush = (): void => {
    if (held === undefined) return;
    const out = lastLines(held, lines);
    held = undefined;
    if (out) write(out);
  };
  try {
    for await (const chunk of chunks) {
      const text = decoder.decode(chunk, { stream: true });
      if (held !== undefined) {
        held += text;
        if (chunk.length === 0 || Date.now() - started >= idleMs) flush();
      } else if (text) write(text);
    }
  } finally {
    if (held !== undefined) held += decoder.decode();
    flush();
  }
}
