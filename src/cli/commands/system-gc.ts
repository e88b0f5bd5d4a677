// `roam system gc`: ask the servers to garbage-collect terminal jobs, evaluations, allocations
// and down nodes now (Nomad's command/system_gc.go). Silent on success.
import { CommandError, defineCommand, UsageError } from '../command.js';

export const systemGCCommand = defineCommand({
  name: 'system gc',
  synopsis: 'Run the system garbage collection process',
  usage: `Usage: roam system gc [options]

  Initializes a garbage collection of jobs, evaluations, allocations, and nodes.`,
  api: true,
  async run({ api, args }) {
    if (args.length !== 0) throw new UsageError('This command takes no arguments');
    try {
      await api.system.gc();
    } catch (err) {
      throw new CommandError(`Error running system garbage-collection: ${err instanceof Error ? err.message : String(err)}`);
    }
    return 0;
  },
});
