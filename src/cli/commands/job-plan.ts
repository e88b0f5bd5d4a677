// `roam job plan` (and `roam plan`): send a job file to the server's plan endpoint and print what
// registering it would change — the annotated diff, the scheduler's dry-run outcome and the
// JobModifyIndex to pass to `job run -check-index`. Nomad's exit codes: 0 no allocations would be
// created or destroyed, 1 some would, 255 on any error (flags, parsing, the request).
import type { JobPlanResponse } from '../../api/jobs.js';
import { defineCommand, describeError, type Command, type CommandIO, type RunContext } from '../command.js';
import { addJobFileFlags, JOB_FILE_FLAGS_HELP, jobFileOptions, loadJob } from '../jobfile.js';
import { colorize, formatDryRun, formatJobDiff } from '../format/job-diff.js';

const usage = `Usage: roam job plan [options] <path>
Alias: roam plan

  Plan invokes a dry-run of the scheduler to determine the effects of submitting
  either a new or updated version of a job. The plan will not result in any
  changes to the cluster but gives insight into whether the job could be run
  successfully and how it would affect existing allocations.

  If the supplied path is "-", the jobfile is read from stdin. Otherwise
  it is read from the file at the supplied path.

  A job modify index is returned with the plan. This value can be used when
  submitting the job using "roam job run -check-index", which will check that
  the job was not modified between the plan and run command before invoking the
  scheduler. This ensures the job has not been modified since the plan.

  A structured diff between the local and remote job is displayed to
  give insight into what the scheduler will attempt to do and why.

  Plan will return one of the following exit codes:
    * 0: No allocations created or destroyed.
    * 1: Allocations created or destroyed.
    * 255: Error determining plan results.`;

const optionsHelp = `Plan Options:

  -diff
    Determines whether the diff between the remote job and planned job is shown.
    Defaults to true.

  -json-output
    Prints the plan response as JSON instead of the human-readable layout.

  -policy-override
    Accepted for compatibility; Roam has no Sentinel policies.

${JOB_FILE_FLAGS_HELP}

  -verbose
    Increase diff verbosity: expand added and removed groups and tasks.`;

function flags(fs: RunContext['flags']): void {
  fs.bool('diff', true, 'Show the diff between the remote and the planned job.');
  fs.bool('json-output', false, 'Print the plan response as JSON.');
  fs.bool('policy-override', false, 'Accepted for compatibility.');
  fs.bool('verbose', false, 'Expand added and removed groups and tasks.');
  fs.string('vault-namespace', '', 'Accepted for compatibility; Roam does not use Vault.');
  addJobFileFlags(fs);
}

/** Nomad's getExitCode: 1 when any group would place, stop, migrate, replace or canary. */
export function planExitCode(resp: Pick<JobPlanResponse, 'Diff' | 'Annotations'>): number {
  if (resp.Diff?.Type === 'None') return 0;
  for (const d of Object.values(resp.Annotations?.DesiredTGUpdates ?? {})) if (d.Stop + d.Place + d.Migrate + d.DestructiveUpdate + d.Canary > 0) return 1;
  return 0;
}

function checkIndexHelp(index: number, runArgs: string, path: string): string {
  return `[reset][bold]Job Modify Index: ${index}[reset]
To submit the job with version verification run:

roam job run -check-index ${index} ${runArgs}${path}

With -check-index the job is registered only if its modify index on the server
still equals the one given here. If it differs, someone changed the job after
this plan was made, and the plan above may no longer describe what will happen.`;
}

async function plan(ctx: RunContext): Promise<number> {
  const { io, flags: fs, args, api, meta } = ctx;
  if (args.length !== 1) {
    io.err(`This command takes one argument: <path>\nFor additional help try 'roam job plan -help'\n`);
    return 255;
  }
  const path = args[0] ?? '';
  const { job } = await loadJob(path, jobFileOptions(fs, io));
  let resp: JobPlanResponse;
  try {
    resp = (await api.jobs.plan(job, true, { policyOverride: fs.getBool('policy-override') }, { namespace: job.Namespace, ...(job.Region ? { region: job.Region } : {}) })).data;
  } catch (err) {
    io.err(`Error during plan: ${describeError(err).replace(/^Error: /, '')}\n`);
    return 255;
  }
  if (fs.getBool('json-output')) {
    io.out(`${JSON.stringify(resp, null, 4)}\n`);
    return planExitCode(resp);
  }
  const c = (s: string): string => colorize(s, meta.color);
  if (fs.getBool('diff') && resp.Diff !== null) io.out(`${c(formatJobDiff(resp.Diff, fs.getBool('verbose')).trim())}\n\n`);
  io.out(`${c('[bold]Scheduler dry-run:[reset]')}\n${c(formatDryRun(resp, job.Type))}\n\n`);
  if (resp.Warnings) io.out(`${c(`[bold][yellow]Job Warnings:\n${resp.Warnings}[reset]\n`)}\n`);
  const runArgs = [...fs.getList('var').map((v) => `-var=${JSON.stringify(v)} `), ...fs.getList('var-file').map((v) => `-var-file=${JSON.stringify(v)} `), ...(fs.getBool('hcl2-strict') ? [] : ['-hcl2-strict=false '])].join('');
  io.out(`${c(checkIndexHelp(resp.JobModifyIndex, runArgs, path))}\n`);
  return planExitCode(resp);
}

const spec = { synopsis: 'Dry-run a job update to determine its effects', usage, api: true, optionsHelp, flags } as const;

/**
 * defineCommand answers flag errors with exit code 1; `job plan` promises 255 for every error, so
 * it runs the command and maps a failure that happened before (or outside) the plan to 255.
 */
function withPlanExitCodes(name: string): Command {
  const make = (onRun: () => void): Command =>
    defineCommand({
      ...spec,
      name,
      run: async (ctx) => {
        onRun();
        try {
          return await plan(ctx);
        } catch (err) {
          ctx.io.err(`${describeError(err)}\n`);
          return 255;
        }
      },
    });
  const shape = make(() => undefined);
  return {
    name,
    synopsis: shape.synopsis,
    help: () => shape.help(),
    async run(argv: string[], io: CommandIO): Promise<number> {
      let reached = false;
      const code = await make(() => (reached = true)).run(argv, io);
      return !reached && code !== 0 ? 255 : code;
    },
  };
}

export const jobPlanCommand = withPlanExitCodes('job plan');
export const planAliasCommand = withPlanExitCodes('plan');
