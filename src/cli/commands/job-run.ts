// `roam job run` (and `roam run`): parse a job file locally, register it, and follow the
// evaluation with the monitor — Nomad's job run, including -output, -detach and -check-index.
import { isParameterized, isPeriodic } from '../../structs/job.js';
import { CommandError, defineCommand, UsageError, type RunContext } from '../command.js';
import { addJobFileFlags, jobFileOptions, loadJob } from '../jobfile.js';
import { nextLaunchText } from '../format/periodic.js';
import { monitorEval } from '../monitor.js';
import { runJobOutput } from './job-run-output.js';

const usage = `Usage: roam job run [options] <path>
Alias: roam run

  Starts running a new job or updates an existing job using
  the specification located at <path>. This is the main command
  used to interact with Roam.

  If the supplied path is "-", the jobfile is read from stdin. Otherwise
  it is read from the file at the supplied path.

  Upon successful job submission, this command will immediately
  enter an interactive monitor. This is useful to watch Roam's
  internals make scheduling decisions and place the submitted work
  onto nodes. The monitor will end once job placement is done. It
  is safe to exit the monitor early using ctrl+c.

  On successful job submission and scheduling, exit code 0 will be
  returned. If there are job placement issues encountered
  (unsatisfiable constraints, resource exhaustion, etc), then the
  exit code will be 2. Any other errors, including client connection
  issues or internal errors, are indicated by exit code 1.`;

const optionsHelp = `Run Options:

  -check-index
    If set, the job is only registered or updated if the passed
    job modify index matches the server side version. If a check-index value of
    zero is passed, the job is only registered if it does not yet exist. If a
    non-zero value is passed, it ensures that the job is being updated from a
    known state. The use of this flag is most common in conjunction with plan
    command.

  -detach
    Return immediately instead of entering monitor mode. After job submission,
    the evaluation ID will be printed to the screen, which can be used to
    examine the evaluation using the eval-status command.

  -eval-priority
    Override the priority of the evaluations produced as a result of this job
    submission. By default, this is set to the priority of the job.

  -json
    Parses the job file as JSON. If the outer object has a Job field, such as
    from "roam job inspect" or "roam run -output", the value of the field is
    used as the job.

  -output
    Output the JSON that would be submitted to the HTTP API without submitting
    the job.

  -var 'key=value'
    Variable for template, can be used multiple times.

  -var-file=path
    Path to HCL2 file containing user variables.

  -verbose
    Display full information.`;

function flags(fs: RunContext['flags']): void {
  fs.int('check-index', 0, 'Register only if the job modify index matches.');
  fs.bool('detach', false, 'Return immediately instead of monitoring.');
  fs.int('eval-priority', 0, 'Priority of the evaluation.');
  addJobFileFlags(fs);
  fs.bool('output', false, 'Print the API JSON without submitting.');
  fs.bool('policy-override', false, 'Override soft-mandatory policies (accepted for compatibility).');
  fs.bool('preserve-counts', false, 'Keep the current group counts.');
  fs.bool('verbose', false, 'Display full information.');
  fs.string('consul-namespace', '', 'Accepted for compatibility; Roam does not use Consul.');
  fs.string('vault-namespace', '', 'Accepted for compatibility; Roam does not use Vault.');
}

async function run(ctx: RunContext): Promise<number> {
  const { io, flags: fs, args, api, parsed } = ctx;
  if (args.length !== 1) throw new UsageError('This command takes one argument: <path>');
  const path = args[0] ?? '';
  if (fs.getBool('output')) return runJobOutput(ctx);
  const { job, warnings, submission } = await loadJob(path, jobFileOptions(fs, io));
  const checkIndex = parsed.set.has('check-index');
  let resp;
  try {
    resp = (await api.jobs.register(job, { ...(checkIndex ? { enforceIndex: true, jobModifyIndex: fs.getInt('check-index') } : {}), evalPriority: fs.getInt('eval-priority'), preserveCounts: fs.getBool('preserve-counts'), submission })).data;
  } catch (err) {
    throw new CommandError(`Error submitting job: ${(err as Error).message}`);
  }
  const allWarnings = [...warnings, ...(resp.Warnings ? resp.Warnings.split('\n') : [])].filter(Boolean);
  if (allWarnings.length) io.out(`Job Warnings:\n${[...new Set(allWarnings)].join('\n')}\n\n`);
  const periodic = isPeriodic(job);
  const parameterized = isParameterized(job);
  if (fs.getBool('detach') || periodic || parameterized) {
    io.out('Job registration successful\n');
    if (periodic && !parameterized) {
      const next = nextLaunchText(job, Date.now());
      if (next) io.out(`Approximate next launch time: ${next}\n`);
    } else if (!periodic && !parameterized) {
      io.out(`Evaluation ID: ${resp.EvalID}\n`);
    }
    return 0;
  }
  if (!resp.EvalID) {
    io.out('Job registration successful\n');
    return 0;
  }
  return monitorEval(api, resp.EvalID, io, { verbose: fs.getBool('verbose') });
}

export const jobRunCommand = defineCommand({ name: 'job run', synopsis: 'Run a new job or update an existing job', usage, api: true, optionsHelp, flags, run });
export const runAliasCommand = defineCommand({ name: 'run', synopsis: 'Run a new job or update an existing job', usage, api: true, optionsHelp, flags, run });
