// `roam job init [-short] [FILE]`: writes an example job (example.nomad.hcl by default) and refuses
// to overwrite an existing file, as Nomad's command does. -list-templates and -template read job
// templates from the cluster's variables under nomad/job-templates/ (item "template"), as Nomad does.
import fs from 'node:fs/promises';
import path from 'node:path';
import { CommandError, defineCommand, UsageError } from '../command.js';
import { EXAMPLE_JOB, EXAMPLE_JOB_SHORT } from './job-init-example.js';

const TEMPLATE_PREFIX = 'nomad/job-templates/';

export const DEFAULT_INIT_NAME = 'example.nomad.hcl';

export const jobInitCommand = defineCommand({
  name: 'job init',
  synopsis: 'Create an example job file',
  usage: `Usage: roam job init [options] [filename]

  Creates an example job file that can be used as a starting point to customize
  further. When no filename is supplied, a default filename of
  "${DEFAULT_INIT_NAME}" will be used.`,
  api: true,
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
  async run({ io, flags, args, api }) {
    if (args.length > 1) throw new UsageError('This command takes either no arguments or one: <filename>');
    if (flags.getBool('list-templates')) {
      const vars = (await api.variables.list({ prefix: TEMPLATE_PREFIX })).data;
      if (vars.length === 0) {
        io.out(`No variables in ${TEMPLATE_PREFIX.slice(0, -1)}\n`);
        return 0;
      }
      io.out(`Use roam job init -template=<template> with any of the following:\n${vars.map((v) => `  ${v.Path.slice(TEMPLATE_PREFIX.length)}\n`).join('')}`);
      return 0;
    }
    const templateName = flags.getString('template');
    let content: string | undefined;
    if (templateName !== '') {
      const v = (await api.variables.peek(`${TEMPLATE_PREFIX}${templateName}`)).data;
      if (!v) throw new CommandError(`Error retrieving template: no variable at ${TEMPLATE_PREFIX}${templateName}`);
      content = v.Items['template'];
      if (content === undefined) throw new CommandError(`Error retrieving template: the variable ${TEMPLATE_PREFIX}${templateName} has no "template" item`);
    }
    if (flags.getBool('connect')) throw new CommandError('Error initializing: Roam has no Consul Connect support, so there is no -connect example.');
    const filename = args[0] ?? (templateName !== '' ? `${templateName}.nomad.hcl` : DEFAULT_INIT_NAME);
    const target = path.resolve(io.cwd, filename);
    try {
      await fs.stat(target);
      throw new CommandError(`Job '${filename}' already exists`);
    } catch (e) {
      if (e instanceof CommandError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CommandError(`Failed to stat '${filename}': ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      await fs.writeFile(target, content ?? (flags.getBool('short') ? EXAMPLE_JOB_SHORT : EXAMPLE_JOB), { flag: 'wx' });
    } catch (e) {
      throw new CommandError(`Failed to write '${filename}': ${e instanceof Error ? e.message : String(e)}`);
    }
    io.out(content !== undefined ? `Job '${templateName}' written to ${filename}\n` : `Example job file written to ${filename}\n`);
    return 0;
  },
});
