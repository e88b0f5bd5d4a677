// `roam job dispatch [options] <parameterized job> [input source]`: dispatch an instance of a
// parameterized job with metadata and an optional payload (a file, or "-" for stdin), then follow
// the evaluation — Nomad's command/job_dispatch.go layout: "Dispatched Job ID = …",
// "Evaluation ID = …", a blank line and the monitor.
import fs from 'node:fs/promises';
import path from 'node:path';
import { defineCommand, CommandError, UsageError } from '../command.js';
import { monitorEval } from '../monitor.js';
import { formatKV, limit } from '../output.js';
import { idLength } from '../format/table.js';

async function readInput(source: string, cwd: string, stdin: NodeJS.ReadableStream): Promise<Uint8Array> {
  try {
    if (source === '-') {
      const chunks: Buffer[] = [];
      for await (const c of stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
      return Buffer.concat(chunks);
    }
    return await fs.readFile(path.resolve(cwd, source));
  } catch (err) {
    throw new CommandError(`Error reading input data: ${(err as Error).message}`);
  }
}

export const jobDispatchCommand = defineCommand({
  name: 'job dispatch',
  synopsis: 'Dispatch an instance of a parameterized job',
  usage: `Usage: roam job dispatch [options] <parameterized job> [input source]

  Dispatch creates an instance of a parameterized job. A data payload to the
  dispatched instance can be provided via stdin by using "-" or by specifying a
  path to a file. Metadata can be supplied by using the meta flag one or more
  times.

  An optional idempotency token can be used to prevent more than one instance
  of the job to be dispatched. If an instance with the same token already
  exists, the command returns without any action.

  Upon successful creation, the dispatched job ID will be printed and the
  triggered evaluation will be monitored. This can be disabled by supplying the
  detach flag.`,
  api: true,
  optionsHelp: `Dispatch Options:

  -meta <key>=<value>
    Meta takes a key/value pair separated by "=". The metadata key will be
    merged into the job's metadata. The job may define a default value for the
    key which is overridden when dispatching. The flag can be provided more than
    once to inject multiple metadata key/value pairs. Arbitrary keys are not
    allowed. The parameterized job must allow the key to be merged.

  -detach
    Return immediately instead of entering monitor mode. After job dispatch,
    the evaluation ID will be printed to the screen, which can be used to
    examine the evaluation using the eval-status command.

  -idempotency-token
    Optional identifier used to prevent more than one instance of the job from
    being dispatched.

  -id-prefix-template
    Optional prefix template for dispatched job IDs.

  -priority
    Optional priority for the dispatched job, overriding the parameterized
    job's priority.

  -verbose
    Display full information.`,
  flags: (f) => {
    f.list('meta', 'Metadata key=value.', '<key>=<value>');
    f.bool('detach', false, 'Return immediately instead of entering monitor mode.');
    f.string('idempotency-token', '', 'Identifier preventing duplicate dispatches.');
    f.string('id-prefix-template', '', 'Prefix template for dispatched job IDs.');
    f.int('priority', 0, 'Priority of the dispatched job.');
    f.bool('verbose', false, 'Display full information.');
  },
  async run({ io, api, args, flags }) {
    if (args.length < 1 || args.length > 2) throw new UsageError('This command takes one or two argument: <parameterized job> [input source]');
    const jobID = args[0] ?? '';
    const verbose = flags.getBool('verbose');
    const payload = args.length === 2 ? await readInput(args[1] ?? '-', io.cwd, io.stdin) : undefined;
    const meta: Record<string, string> = {};
    for (const kv of flags.getList('meta')) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`Error parsing meta value ${JSON.stringify(kv)}: must be of form key=value`);
      meta[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    let resp;
    try {
      resp = (await api.jobs.dispatch(jobID, meta, payload, { idempotencyToken: flags.getString('idempotency-token'), idPrefixTemplate: flags.getString('id-prefix-template'), priority: flags.getInt('priority') })).data;
    } catch (err) {
      throw new CommandError(`Failed to dispatch job: ${(err as Error).message}`);
    }
    // A periodic parameterized job dispatches a periodic child: no evaluation now.
    const evalCreated = resp.EvalID !== '';
    const rows: [string, string][] = [['Dispatched Job ID', resp.DispatchedJobID]];
    if (evalCreated) rows.push(['Evaluation ID', limit(resp.EvalID, idLength(verbose))]);
    io.out(`${formatKV(rows)}\n`);
    if (flags.getBool('detach') || !evalCreated) return 0;
    io.out('\n');
    return monitorEval(api, resp.EvalID, io, { verbose });
  },
});
