// `roam server members`: the servers this agent knows, with the leader of each region marked
// (Nomad's command/server_members.go).
import type { RoamApi } from '../../api/index.js';
import type { AgentMember } from '../../api/types.js';
import { CommandError, defineCommand, UsageError } from '../command.js';
import { columnize } from '../output.js';
import { formatJSON } from '../format/table.js';

/** The leader address ("ip:port") of each region the members belong to. */
async function regionLeaders(api: RoamApi, members: AgentMember[]): Promise<{ leaders: Map<string, string>; errors: string[] }> {
  const leaders = new Map<string, string>();
  const errors: string[] = [];
  const regions = new Set(members.filter((m) => m.Status !== 'left').map((m) => m.Tags['region'] ?? ''));
  for (const region of regions) {
    try {
      leaders.set(region, (await api.http.get<string>('/v1/status/leader', { region })).data);
    } catch (err) {
      errors.push(`Region ${JSON.stringify(region)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { leaders, errors };
}

function isLeader(m: AgentMember, leaders: Map<string, string>): boolean {
  const leader = leaders.get(m.Tags['region'] ?? '');
  return leader !== undefined && leader === `${m.Addr}:${m.Tags['port'] ?? ''}`;
}

export const serverMembersCommand = defineCommand({
  name: 'server members',
  synopsis: 'Display a list of known servers and their status',
  usage: `Usage: roam server members [options]

  Display a list of the known servers and their status. Only Roam servers are
  able to service this command.`,
  api: true,
  optionsHelp: `Server Members Options:

  -verbose
    Show detailed information about each member. This dumps a raw set of tags
    which shows more information than the default output format.

  -json
    Output the latest information about each member in a JSON format.`,
  flags: (fs) => {
    fs.bool('detailed', false, 'Deprecated alias of -verbose.');
    fs.bool('verbose', false, 'Show detailed information about each member.');
    fs.bool('json', false, 'Output in JSON.');
  },
  async run({ io, api, args, flags }) {
    if (args.length !== 0) throw new UsageError('This command takes no arguments');
    const verbose = flags.getBool('verbose') || flags.getBool('detailed');
    let members: AgentMember[];
    try {
      members = (await api.agent.members()).data.Members;
    } catch (err) {
      throw new CommandError(`Error querying servers: ${err instanceof Error ? err.message : String(err)}`);
    }
    members = [...members].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
    const { leaders, errors } = await regionLeaders(api, members);
    if (flags.getBool('json')) {
      io.out(`${formatJSON(members.map((m) => ({ ...m, Tags: { ...m.Tags, Leader: String(isLeader(m, leaders)) } })))}\n`);
      return 0;
    }
    const rows: string[][] = [verbose ? ['Name', 'Address', 'Port', 'Status', 'Leader', 'Protocol', 'Raft Version', 'Build', 'Datacenter', 'Region', 'Tags'] : ['Name', 'Address', 'Port', 'Status', 'Leader', 'Raft Version', 'Build', 'Datacenter', 'Region']];
    for (const m of members) {
      const t = (k: string): string => m.Tags[k] ?? '';
      const lead = String(isLeader(m, leaders));
      rows.push(
        verbose
          ? [m.Name, m.Addr, String(m.Port), m.Status, lead, String(m.ProtocolCur), t('raft_vsn'), t('build'), t('dc'), t('region'), Object.entries(m.Tags).map(([k, v]) => `${k}=${v}`).join(',')]
          : [m.Name, m.Addr, String(m.Port), m.Status, lead, t('raft_vsn'), t('build'), t('dc'), t('region')],
      );
    }
    io.out(`${columnize(rows)}\n`);
    if (errors.length) {
      io.err(`\nError determining leaders: ${errors.join('; ')}\n`);
      return 1;
    }
    return 0;
  },
});
