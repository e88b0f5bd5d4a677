// `roam job validate [options] FILE|-`: parses the job, applies Nomad's defaults and validates it
// locally, printing positioned errors (exit 1) or warnings then "Job validation successful" (exit
// 0). Nomad's command asks an agent (PUT /v1/validate/job) for driver-config validation when one is
// reachable; Roam validates locally only, so driver configs are not checked against driver schemas.
import { formatJobErrors, formatWarnings, validateJob } from '../../jobspec/index.js';
import { defineCommand, UsageError, type CommandSpec } from '../command.js';
import { addJobFileFlags, JOB_FILE_FLAGS_HELP, jobFileOptions, loadJob } from '../jobfile.js';

const spec: CommandSpec = {
  name: 'job validate',
  synopsis: 'Checks if a given job specification is valid',
  usage: `Usage: roam job validate [options] <path>
Alias: roam validate

  Checks if a given HCL job file has a valid specification. This can be used to
  check for any syntax errors or validation problems with a job.

  If the supplied path is "-", the job file is read from stdin. Otherwise it is
  read from the file at the supplied path.

  Validation happens locally: the job is parsed, Roam applies Nomad's defaults,
  and every problem is reported at once with where it was written.`,
  api: false,
  optionsHelp: `Validate Options:

${JOB_FILE_FLAGS_HELP}`,
  flags: addJobFileFlags,
  async run({ io, flags, args }) {
    if (args.length !== 1) throw new UsageError('This command takes one argument: <path>');
    const loaded = await loadJob(args[0] ?? '-', jobFileOptions(flags, io));
    const errors = validateJob(loaded.job);
    if (errors.length > 0) {
      io.err(`Job validation errors:\n${formatJobErrors(errors, loaded.positions)}`);
      return 1;
    }
    if (loaded.warnings.length > 0) io.out(`Job Warnings:\n${formatWarnings(loaded.warnings)}\n\n`);
    io.out('Job validation successful\n');
    return 0;
  },
};

export const jobValidateCommand = defineCommand(spec);
/** `roam validate`, Nomad's top-level alias. */
export const validateAliasCommand = defineCommand({ ...spec, name: 'validate' });
