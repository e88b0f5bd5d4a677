// `roam job history JOB`: the versions of a job, newest first (Nomad's command/job_history.go).
// Version diffs (-p, -diff-tag, -diff-version) are not served by Roam yet and are refused.
import type { Job } from '../../structs/job.js';
import { CommandError, defineCommand, UsageError } from '../command.js';
import { columnize } from '../output.js';
import { resolveJobID } from '../format/prefix.js';
import { formatJSON, formatNanoTime } from '../format/table.js';

function formatVersion(job: Job | undefined, full: boolean): string {
  if (!job) throw new CommandError('Error printing job history for non-existing job or job version');
  const rows: string[][] = [
    ['Version', String(job.Version)],
    ['Stable', String(job.Stable)],
    ['Submit Date', formatNanoTime(job.SubmitTime)],
  ];
  const tag = job.VersionTag as { Name?: unknown; Description?: unknown } | null | undefined;
  if (tag && typeof tag.Name === 'string') {
    rows.push(['Tag Name', tag.Name]);
    if (typeof tag.Description === 'string' && tag.Description) rows.push(['Tag Description', tag.Description]);
  }
  if (full) rows.push(['Full', `JSON Job:\n${formatJSON(job)}`]);
  // Nomad formats these without replacing empty values (NoTrim columnize).
  return columnize(rows, ' = ');
}

export const jobHistoryCommand = defineCommand({
  name: 'job history',
  synopsis: 'Display all tracked versions of a job',
  usage: `Usage: roam job history [options] <job>

  History is used to display the known versions of a particular job. The command
  can display the diff between job versions and can be useful for understanding
  the changes that occurred to the job as well as deciding job versions to revert
  to. (Roam does not compute version diffs yet: -p is not supported.)`,
  api: true,
  optionsHelp: `History Options:

  -p
    Display the difference between each job and its predecessor.
    Not supported by Roam yet.

  -full
    Display the full job definition for each version.

  -version <job version>
    Display only the history for the given job version.

  -json
    Output the job versions in a JSON format.`,
  flags: (fs) => {
    fs.bool('p', false, 'Display the difference between each job and its predecessor (not supported).');
    fs.bool('full', false, 'Display the full job definition for each version.');
    fs.string('version', '', 'Display only the history for the given job version.', '<job version>');
    fs.bool('json', false, 'Output the job versions in a JSON format.');
    fs.string('diff-tag', '', 'Compare against the version with this tag (requires -p).', '<tag>');
    fs.string('diff-version', '', 'Compare against this version (requires -p).', '<version>');
  },
  async run({ io, api, args, flags, meta }) {
    if (args.length !== 1) throw new UsageError('This command takes one argument: <job>');
    const json = flags.getBool('json');
    const diff = flags.getBool('p');
    const full = flags.getBool('full');
    if (json && (diff || full)) throw new CommandError('-json and -t are exclusive with -p and -full');
    if ((flags.getString('diff-tag') || flags.getString('diff-version')) && !diff) throw new CommandError('-diff-tag and -diff-version can only be used with -p');
    if (diff) throw new CommandError('Error: job version diffs (-p) are not supported by Roam yet');
    const { id, namespace } = await resolveJobID(api, (args[0] ?? '').trim(), meta.namespace === '*');
    let versions: Job[];
    try {
      versions = (await api.jobs.versions(id, false, { namespace })).data.Versions;
    } catch (err) {
      throw new CommandError(`Error retrieving job versions: ${err instanceof Error ? err.message : String(err)}`);
    }
    const versionStr = flags.getString('version');
    if (versionStr !== '') {
      if (!/^\d+$/.test(versionStr)) throw new CommandError(`Error parsing version value ${JSON.stringify(versionStr)}: strconv.ParseUint: parsing ${JSON.stringify(versionStr)}: invalid syntax`);
      const job = versions.find((v) => v.Version === Number(versionStr));
      if (json) {
        io.out(`${formatJSON(job ?? null)}\n`);
        return 0;
      }
      io.out(`${formatVersion(job, full)}\n`);
      return 0;
    }
    if (json) {
      io.out(`${formatJSON(versions)}\n`);
      return 0;
    }
    io.out(`${versions.map((v) => formatVersion(v, full)).join('\n\n')}\n`);
    return 0;
  },
});
