// `roam service delete NAME ID`: removes one service registration by hand
// (Nomad's command/service_delete.go).
import { defineCommand, UsageError } from '../command.js';

export const serviceDeleteCommand = defineCommand({
  name: 'service delete',
  synopsis: 'Deregister a registered Roam service',
  usage: `Usage: roam service delete [options] <service_name> <service_id>

  Delete is used to deregister the specified service registration. It should be
  used with caution and can only remove a single registration, via the service
  name and service instance ID, at a time.`,
  api: true,
  async run({ io, api, args }) {
    if (args.length !== 2) throw new UsageError('This command takes two arguments: <service_name> and <service_id>');
    await api.services.delete(args[0] ?? '', args[1] ?? '');
    io.out('Successfully deleted service registration\n');
    return 0;
  },
});
