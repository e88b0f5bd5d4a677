// nomad fingerprint: nomad.version (the Nomad version Roam is compatible with, so version
// constraints in job files keep working), nomad.revision, nomad.service_discovery and
// unique.advertise.address (the agent's HTTP address).
import { NOMAD_COMPAT_VERSION } from '../../structs/version.js';
import type { FingerprintResult } from './fingerprint.js';

export function fingerprintNomad(advertiseAddress: string): FingerprintResult {
  return {
    attributes: {
      'nomad.version': NOMAD_COMPAT_VERSION,
      'nomad.revision': '',
      'nomad.service_discovery': 'true',
      'unique.advertise.address': advertiseAddress,
    },
  };
}
