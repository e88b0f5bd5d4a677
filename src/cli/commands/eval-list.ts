// `roam eval list`: the evaluations, filtered by job or status, paginated (Nomad's command/eval_list.go).
import { defineCommand, UsageError } from '../command.js';
import { formatEvalList } from '../format/evals.js';
import { formatJSON } from '../format/table.js';

export const evalListCommand = defineCommand({
  name: 'eval list',
  synopsis: 'List the set of evaluations processed by Roam',
  usage: `Usage: roam eval list [options]

  List is used to list the set of evaluations processed by Roam.`,
  api: true,
  optionsHelp: `Eval List Options:

  -verbose
    Show full information.

  -per-page
    How many results to show per page.

  -page-token
    Where to start pagination.

  -filter
    Specifies an expression used to filter query results.

  -job
    Only show evaluations for this job ID.

  -status
    Only show evaluations with this status.

  -json
    Output the evaluation in its JSON format.`,
  flags: (fs) => {
    fs.bool('verbose', false, 'Show full information.');
    fs.bool('json', false, 'Output in JSON.');
    fs.int('per-page', 0, 'How many results to show per page.');
    fs.string('page-token', '', 'Where to start pagination.', '<token>');
    fs.string('filter', '', 'Filter expression.', '<expression>');
    fs.string('job', '', 'Only show evaluations for this job ID.', '<job>');
    fs.string('status', '', 'Only show evaluations with this status.', '<status>');
  },
  async run({ io, api, args, flags }) {
    if (args.length !== 0) throw new UsageError('This command takes no arguments');
    const { data: evals, meta } = await api.evaluations.list({
      filter: flags.getString('filter'),
      perPage: flags.getInt('per-page'),
      nextToken: flags.getString('page-token'),
      params: { job: flags.getString('job'), status: flags.getString('status') },
    });
    if (flags.getBool('json')) {
      io.out(`${formatJSON(evals)}\n`);
      return 0;
    }
    if (evals.length === 0) {
      io.out('No evals found\n');
      return 0;
    }
    let text = formatEvalList(evals, flags.getBool('verbose'));
    if (meta.nextToken) text += `\n\nResults have been paginated. To get the next page run:\n\nroam ${withoutPageToken(process.argv.slice(2))}-page-token ${meta.nextToken}`;
    io.out(`${text}\n`);
    return 0;
  },
});

/** Nomad's argsWithoutPageToken, for the "next page" hint. */
function withoutPageToken(argv: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.replace(/^--?/, '').startsWith('page-token')) {
      if (!a.includes('=')) i++;
      continue;
    }
    out.push(a);
  }
  return out.map((a) => `${a} `).join('');
}
