// The fingerprint contract: each fingerprinter reads one aspect of the host and contributes node
// attributes and resources (Nomad's client/fingerprint). Readers of /proc, /etc and the network
// are injected so the parsing is tested with fixed inputs.
import type { NodeResources } from '../../structs/resources.js';

export interface FingerprintResult {
  attributes: Record<string, string>;
  resources?: Partial<NodeResources>;
}

export interface HostProbe {
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
}
