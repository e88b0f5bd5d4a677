// Flags and settings every command that talks to an agent shares (Nomad's command/meta.go):
// -address, -region, -namespace, -token, TLS and colour flags, with their environment variables.
// ROAM_* variables win over NOMAD_* ones so both kinds of scripts work.
import { RoamApi } from '../api/index.js';
import type { FlagSet } from './flags.js';

export const DEFAULT_ADDRESS = 'http://127.0.0.1:4646';

export function addMetaFlags(fs: FlagSet): void {
  fs.string('address', '', 'The address of the Roam server. Overrides the ROAM_ADDR (or NOMAD_ADDR) environment variable if set.\nDefault = http://127.0.0.1:4646', '<addr>');
  fs.string('region', '', 'The region of the Roam servers to forward commands to. Overrides the ROAM_REGION (or NOMAD_REGION) environment variable if set.', '<region>');
  fs.string('namespace', '', 'The target namespace for queries and actions bound to a namespace. Overrides the ROAM_NAMESPACE (or NOMAD_NAMESPACE) environment variable if set.\nDefaults to the "default" namespace.', '<namespace>');
  fs.string('token', '', 'The SecretID of an ACL token to use to authenticate API requests with. Overrides the ROAM_TOKEN (or NOMAD_TOKEN) environment variable if set.', '<token>');
  fs.bool('no-color', false, 'Disables colored command output.');
  fs.bool('force-color', false, 'Forces colored command output.');
  fs.string('ca-cert', '', 'Path to a PEM encoded CA cert file to use to verify the server SSL certificate.', '<path>');
  fs.string('ca-path', '', 'Path to a directory of PEM encoded CA cert files.', '<path>');
  fs.string('client-cert', '', 'Path to a PEM encoded client certificate for TLS authentication.', '<path>');
  fs.string('client-key', '', 'Path to an unencrypted PEM encoded private key matching the client certificate.', '<path>');
  fs.string('tls-server-name', '', 'The server name to use as the SNI host when connecting via TLS.', '<name>');
  fs.bool('tls-skip-verify', false, 'Do not verify TLS certificate. This is highly not recommended.', ['insecure']);
}

export const META_FLAGS_HELP = `General Options:

  -address=<addr>
    The address of the Roam server.
    Overrides the ROAM_ADDR (or NOMAD_ADDR) environment variable if set.
    Default = http://127.0.0.1:4646

  -region=<region>
    The region of the Roam servers to forward commands to.
    Overrides the ROAM_REGION (or NOMAD_REGION) environment variable if set.
    Defaults to the Agent's local region.

  -namespace=<namespace>
    The target namespace for queries and actions bound to a namespace.
    Overrides the ROAM_NAMESPACE (or NOMAD_NAMESPACE) environment variable if set.
    Defaults to the "default" namespace.

  -no-color
    Disables colored command output.

  -token
    The SecretID of an ACL token to use to authenticate API requests with.
    Overrides the ROAM_TOKEN (or NOMAD_TOKEN) environment variable if set.`;

function envFirst(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** The agent address: -address, then ROAM_ADDR, then NOMAD_ADDR, then http://127.0.0.1:4646. */
export function resolveAddress(flag: string, env: NodeJS.ProcessEnv): string {
  const raw = flag || envFirst(env, 'ROAM_ADDR', 'NOMAD_ADDR') || DEFAULT_ADDRESS;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  return withScheme.replace(/\/+$/, '');
}

export interface MetaSettings {
  address: string;
  token: string;
  region: string;
  namespace: string;
  color: boolean;
  tlsSkipVerify: boolean;
}

export function metaSettings(fs: FlagSet, env: NodeJS.ProcessEnv, isTTY: boolean): MetaSettings {
  const noColor = fs.getBool('no-color') || envFirst(env, 'ROAM_CLI_NO_COLOR', 'NOMAD_CLI_NO_COLOR') !== undefined;
  const forceColor = fs.getBool('force-color') || envFirst(env, 'ROAM_CLI_FORCE_COLOR', 'NOMAD_CLI_FORCE_COLOR') !== undefined;
  return {
    address: resolveAddress(fs.getString('address'), env),
    token: fs.getString('token') || envFirst(env, 'ROAM_TOKEN', 'NOMAD_TOKEN') || '',
    region: fs.getString('region') || envFirst(env, 'ROAM_REGION', 'NOMAD_REGION') || '',
    namespace: fs.getString('namespace') || envFirst(env, 'ROAM_NAMESPACE', 'NOMAD_NAMESPACE') || '',
    color: forceColor || (!noColor && isTTY),
    tlsSkipVerify: fs.getBool('tls-skip-verify') || envFirst(env, 'ROAM_SKIP_VERIFY', 'NOMAD_SKIP_VERIFY') !== undefined,
  };
}

export function apiFor(m: MetaSettings): RoamApi {
  return new RoamApi({
    address: m.address,
    ...(m.token ? { token: m.token } : {}),
    ...(m.region ? { region: m.region } : {}),
    ...(m.namespace ? { namespace: m.namespace } : {}),
    tlsSkipVerify: m.tlsSkipVerify,
  });
}
