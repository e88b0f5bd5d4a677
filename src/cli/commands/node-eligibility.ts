// `roam node eligibility -enable|-disable NODE`: toggle whether the scheduler may place new work
// on a node (Nomad's command/node_eligibility.go).
import { CommandError, defineCommand, UsageError } from '../command.js';
import { localNodeID, resolveNode } from '../format/nodes.js';

export const nodeEligibilityCommand = defineCommand({
  name: 'node eligibility',
  synopsis: 'Toggle scheduling eligibility for a given node',
  usage: `Usage: roam node eligibility [options] <node>

  Toggles the nodes scheduling eligibility. When a node is marked as ineligible,
  no new allocations will be placed on it but existing allocations will remain.
  To remove existing allocations, use the node drain command.`,
  api: true,
  optionsHelp: `Node Eligibility Options:

  -enable
    Enable scheduling eligbility.

  -disable
    Disable scheduling eligibility.

  -self
    Set the eligibility of the local node.`,
  flags: (fs) => {
    fs.bool('enable', false, 'Enable scheduling eligibility.');
    fs.bool('disable', false, 'Disable scheduling eligibility.');
    fs.bool('self', false, 'Set the eligibility of the local node.');
  },
  async run({ io, api, args, flags }) {
    const enable = flags.getBool('enable');
    const self = flags.getBool('self');
    if (enable === flags.getBool('disable')) throw new UsageError("Either the '-enable' or '-disable' flag must be set");
    if ((args.length !== 1 && !self) || args.length > 1) throw new UsageError("Node ID must be specified if -self isn't being used");
    const raw = self ? await localNodeID(api) : (args[0] ?? '');
    const node = await resolveNode(api, raw, { notFound: 'No node(s) with prefix or id', verboseList: true });
    try {
      await api.nodes.eligibility(node.ID, enable);
    } catch (err) {
      throw new CommandError(`Error updating scheduling eligibility: ${err instanceof Error ? err.message : String(err)}`);
    }
    io.out(`Node ${JSON.stringify(node.ID)} scheduling eligibility set: ${enable ? 'eligible' : 'ineligible'} for scheduling\n`);
    return 0;
  },
});
