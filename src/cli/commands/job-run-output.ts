// `roam job run -output`: prints the job as it would be submitted to the HTTP API, {"Job": …}
// indented with four spaces as Nomad prints it, without contacting an agent. `job run` calls
// runJobOutput when -output is set; the job file flags (-json, -hcl2-strict, -var, -var-file) are
// read from its flag set.
import { UsageError, type RunContext } from '../command.js';
import { jobFileOptions, loadJob } from '../jobfile.js';

export async function runJobOutput(ctx: Pick<RunContext, 'io' | 'flags' | 'args'>): Promise<number> {
  const { io, flags, args } = ctx;
  if (args.length !== 1) throw new UsageError('This command takes one argument: <path>');
  const { apiJob } = await loadJob(args[0] ?? '-', jobFileOptions(flags, io));
  io.out(`${JSON.stringify({ Job: apiJob }, null, 4)}\n`);
  return 0;
}
