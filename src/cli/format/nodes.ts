// Node lookups and the small node tables shared by `node status` and `node eligibility`.
import type { RoamApi } from '../../api/index.js';
import type { NodeListStub } from '../../structs/node.js';
import { CommandError } from '../command.js';
import { limit } from '../output.js';
import { requireTwoChars, sanitizeUUIDPrefix } from './prefix.js';
import { formatTable, idLength } from './table.js';

/** Nomad's formatNodeStubList: the nodes an ambiguous prefix matched. */
export function formatNodeStubList(nodes: NodeListStub[], verbose: boolean): string {
  const n = idLength(verbose);
  return formatTable([['ID', 'DC', 'Name', 'Class', 'Drain', 'Eligibility', 'Status'], ...nodes.map((x) => [limit(x.ID, n), x.Datacenter, x.Name, x.NodeClass, String(x.Drain), x.SchedulingEligibility, x.Status])]);
}

/**
 * The one node a UUID prefix names. `notFound` is the command's wording of the "no match" error
 * (Nomad words it differently in `node status` and `node eligibility`).
 */
export async function resolveNode(api: RoamApi, raw: string, opts: { notFound: string; verboseList: boolean }): Promise<NodeListStub> {
  requireTwoChars(raw);
  const prefix = sanitizeUUIDPrefix(raw);
  const { data: nodes } = await api.nodes.list({ prefix });
  const first = nodes[0];
  if (!first) throw new CommandError(`${opts.notFound} ${JSON.stringify(prefix)} found`);
  if (nodes.length > 1) throw new CommandError(`Prefix matched multiple nodes\n\n${formatNodeStubList(nodes, opts.verboseList)}`);
  return first;
}

/** The local client's node ID from agent/self (Nomad's getLocalNodeID), for -self. */
export async function localNodeID(api: RoamApi): Promise<string> {
  let stats: Record<string, Record<string, string>>;
  try {
    stats = (await api.agent.self()).data.stats;
  } catch (err) {
    throw new CommandError(`Error querying agent info: ${err instanceof Error ? err.message : String(err)}`);
  }
  const client = stats['client'];
  if (!client) throw new CommandError('Roam not running in client mode');
  const id = client['node_id'];
  if (!id) throw new CommandError('Failed to determine node ID');
  return id;
}
