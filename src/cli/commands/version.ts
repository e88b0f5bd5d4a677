// `roam version`: the CLI's own version (no agent needed).
import { NOMAD_COMPAT_VERSION, ROAM_VERSION } from '../../structs/version.js';
import { defineCommand } from '../command.js';

export const versionCommand = defineCommand({
  name: 'version',
  synopsis: 'Prints the Roam version',
  usage: 'Usage: roam version\n\n  Prints the version of Roam and the Nomad API version it is compatible with.',
  api: false,
  async run({ io }) {
    io.out(`Roam v${ROAM_VERSION}\nCompatible with Nomad v${NOMAD_COMPAT_VERSION} (jobspec, HTTP API and CLI)\n`);
    return 0;
  },
});
