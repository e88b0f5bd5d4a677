// `roam job init [-short] [FILE]`: writes an example job (example.nomad.hcl by default) and refuses
// to overwrite an existing file, as Nomad's command does. Nomad's -template/-list-templates read job
// templates from the agent's variables (nomad/job-templates/); Roam's CLI has no variables client
// yet, so they report that instead of guessing.
import fs from 'node:fs/promises';
import path from 'node:path';
import { CommandError, defineCommand, UsageError } from '../command.js';
import { EXAMPLE_JOB, EXAMPLE_JOB_SHORT } from './job-init-example.js';

export const DEFAULT_INIT_NAME = 'example.nomad.hcl';

export const jobInitCommand = defineCommand({
  name: 'job init',
  synopsis: 'Create an example job file',
  usage: `Usage: roam job init [options] [filename]

  Creates an example job file that can be used as a starting point to customize
  further. When no filename is supplied, a default filename of
  "${DEFAULT_INIT_NAME}" will be used.`,
  api: false,
  optionsHelp: `Init Options:

  -short
    If the short flag is set, a minimal jobspec without comments is emitted.

  -template
    Initialize from a job template stored in the agent's variables under
    nomad/job-templates/ (not available in Roam yet).

  -list-templates
    List the job templates stored under nomad/job-templates/ (not available in
    Roam yet).`,
  flags(fs) {
    fs.bool('short', false, 'Emit a minimal job without comments.');
    fs.bool('connect', false, 'Emit a Consul Connect example (not available in Roam).');
    fs.string('template', '', 'Initialize from a job template in the agent variables.', '<name>');
    fs.bool('list-templates', false, 'List the job templates in the agent variables.');
  },
  async run({ io, flags, args }) {
    if (args.length > 1) throw new UsageError('This command takes either no arguments or one: <filename>');
    if (flags.getBool('list-templates') || flags.getString('template') !== '') {
      throw new CommandError('Error retrieving job templates: Roam does not serve job templates from variables (nomad/job-templates/) yet; use "roam job init" or "roam job init -short".');
    }
    if (flags.getBool('connect')) throw new CommandError('Error initializing: Roam has no Consul Connect support, so there is no -connect example.');
    const filename = args[0] ?? DEFAULT_INIT_NAME;
    const target = path.resolve(io.cwd, filename);
    try {
      await fs.stat(target);
      throw new CommandError(`Job '${filename}' already exists`);
    } catch (e) {
      if (e instanceof CommandError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CommandError(`Failed to stat '${filename}': ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      await fs.writeFile(target, flags.getBool('short') ? EXAMPLE_JOB_SHORT : EXAMPLE_JOB, { flag: 'wx' });
    } catch (e) {
      throw new CommandError(`Failed to write '${filename}': ${e instanceof Error ? e.message : String(e)}`);
    }
    io.out(`Example job file written to ${filename}\n`);
    return 0;
  },
});
