// `roam job stop` (and `roam stop`): stop (or -purge) one or more jobs and monitor the
// deregistration evaluations, asking for confirmation when a job was matched only by prefix.
import { createInterface } from 'node:readline';
import { CommandError, defineCommand, UsageError, type RunContext } from '../command.js';
import { monitorEval } from '../monitor.js';
import { resolveJobID } from '../format/prefix.js';

const usage = `Usage: roam job stop [options] <job>
Alias: roam stop

  Stop an existing job. This command is used to signal allocations to shut
  down for the given job ID. Upon successful deregistration, an interactive
  monitor session will start to display log lines as the job unwinds its
  allocations and completes shutting down. It is safe to exit the monitor
  early using ctrl+c.`;

const optionsHelp = `Stop Options:

  -detach
    Return immediately instead of entering monitor mode. After the
    deregister command is submitted, a new evaluation ID is printed to the
    screen, which can be used to examine the evaluation using the eval-status
    command.

  -eval-priority
    Override the priority of the evaluations produced as a result of this job
    deregistration. By default, this is set to the priority of the job.

  -purge
    Purge is used to stop the job and purge it from the system. If not set, the
    job will still be queryable and will be purged by the garbage collector.

  -yes
    Automatic yes to prompts.

  -verbose
    Display full information.`;

async function confirm(ctx: RunContext, id: string): Promise<boolean> {
  ctx.io.out(`Are you sure you want to stop job "${id}"? [y/N] `);
  const rl = createInterface({ input: ctx.io.stdin });
  const answer = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return /^(y|yes)$/i.test(answer.trim());
}

async function run(ctx: RunContext): Promise<number> {
  const { io, flags: fs, args, api } = ctx;
  if (args.length < 1) throw new UsageError('This command takes at least one argument: <job>');
  let code = 0;
  for (const arg of args) {
    const job = await resolveJobID(api, arg, ctx.meta.namespace === '*');
    if (job.id !== arg && args.length === 1 && !fs.getBool('yes')) {
      if (!(await confirm(ctx, job.id))) {
        io.out('Cancelling job stop\n');
        return 0;
      }
    }
    let resp;
    try {
      resp = (await api.jobs.deregister(job.id, fs.getBool('purge'), { namespace: job.namespace, params: fs.getInt('eval-priority') ? { eval_priority: fs.getInt('eval-priority') } : {} })).data;
    } catch (err) {
      throw new CommandError(`Error deregistering job: ${(err as Error).message}`);
    }
    if (!resp.EvalID) continue; // periodic and parameterized parents have no evaluation to follow
    if (fs.getBool('detach')) {
      io.out(`${resp.EvalID}\n`);
      continue;
    }
    const c = await monitorEval(api, resp.EvalID, io, { verbose: fs.getBool('verbose') });
    if (c !== 0) code = c;
  }
  return code;
}

function flags(fs: RunContext['flags']): void {
  fs.bool('detach', false, 'Return immediately.');
  fs.int('eval-priority', 0, 'Evaluation priority.');
  fs.bool('purge', false, 'Purge the job.');
  fs.bool('yes', false, 'Answer yes to prompts.');
  fs.bool('verbose', false, 'Display full information.');
  fs.bool('global', false, 'Stop a multi-region job in all regions (accepted; Roam has one region).');
  fs.bool('no-shutdown-delay', false, 'Ignore the group and task shutdown_delay.');
}

export const jobStopCommand = defineCommand({ name: 'job stop', synopsis: 'Stop a running job', usage, api: true, optionsHelp, flags, run });
export const stopAliasCommand = defineCommand({ name: 'stop', synopsis: 'Stop a running job', usage, api: true, optionsHelp, flags, run });
