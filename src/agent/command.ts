// `roam agent`: parses Nomad's agent flags, loads configuration, starts the agent and keeps it
// running until SIGINT/SIGTERM, then shuts it down leaving no children or handles behind.
import os from 'node:os';
import { FlagError, FlagSet, HelpRequested, splitKeyValue } from '../cli/flags.js';
import { parseLogLevel } from '../structs/logger.js';
import { ROAM_VERSION } from '../structs/version.js';
import { Agent } from './agent.js';
import { resolveSockaddr } from './sockaddr.js';
import { defaultConfig, devOverrides, httpBindAddr, mergeConfig, type AgentConfig, type DeepPartial } from './config.js';
import { ConfigError, configFiles, readConfigFile } from './config-file.js';
import { createLogger } from './logger.js';

export const agentHelp = `Usage: roam agent [options]

  Starts the Roam agent and runs until an interrupt is received.
  The agent may be a client and/or server.

  The Roam agent's configuration primarily comes from the config
  files used, but a subset of the options may also be passed directly
  as CLI arguments, listed below.

General Options (clients and servers):

  -bind=<addr>
    The address the agent will bind to for all of its various network
    services. The individual services that run bind to individual
    ports on this address. Defaults to the loopback 127.0.0.1.

  -config=<path>
    The path to either a single config file or a directory of config
    files to use for configuring the Roam agent. This option may be
    specified multiple times. If multiple config files are used, the
    values from each will be merged together.

  -data-dir=<path>
    The data directory used to store state and other persistent data.

  -dc=<datacenter>
    The name of the datacenter this Roam agent is a member of. By
    default this is set to "dc1".

  -log-level=<level>
    Specify the verbosity level of Roam's logs. Valid values include
    DEBUG, INFO, and WARN, in decreasing order of verbosity. The
    default is INFO.

  -log-json
    Output logs in a JSON format. The default is false.

  -node=<name>
    The name of the local agent. This name is used to identify the node
    in the cluster. The name must be unique per region. The default is
    the current hostname of the machine.

  -region=<region>
    Name of the region the Roam agent will be a member of. By default
    this value is set to "global".

  -dev
    Start the agent in development mode. This enables a pre-configured
    dual-role agent (client + server) which is useful for developing
    or testing Roam. No other configuration is required to start the
    agent in this mode, but you may pass an optional comma-separated
    list of mode configurations.

Server Options:

  -server
    Enable server mode for the agent. Agents in server mode are
    clustered together and handle the additional responsibility of
    leader election, data replication, and scheduling work onto
    eligible client nodes.

  -bootstrap-expect=<num>
    Configures the expected number of servers nodes to wait for before
    bootstrapping the cluster.

Client Options:

  -client
    Enable client mode for the agent. Client mode enables a given node to be
    evaluated for allocations. If client mode is not enabled, no work will be
    scheduled to the agent.

  -state-dir
    The directory used to store state and other persistent data. If not
    specified a subdirectory under the "-data-dir" will be used.

  -alloc-dir
    The directory used to store allocation data such as downloaded artifacts as
    well as data produced by tasks. If not specified, a subdirectory under the
    "-data-dir" will be used.

  -servers
    A list of known server addresses to connect to given as "host:port" and
    delimited by commas.

  -node-class
    Mark this node as a member of a node-class. This can be used to label
    similar node types.

  -node-pool
    Register this node in this node pool. If the node pool does not exist it
    will be created automatically if the node registers in the authoritative
    region. In non-authoritative regions, the node is kept in the
    'initializing' status until the node pool is created and replicated.

  -meta
    User specified metadata to associated with the node. Each instance of -meta
    parses a single KEY=VALUE pair. Repeat the meta flag for each key/value pair
    to be added.

  -network-interface
    Forces the network fingerprinter to use the specified network interface.
`;

export interface AgentFlags {
  config: DeepPartial<AgentConfig>;
  configPaths: string[];
}

/** Builds the final configuration from flags and files, in Nomad's precedence. */
export function loadAgentConfig(argv: string[], hostname = os.hostname()): AgentConfig {
  const fs = new FlagSet('agent');
  fs.bool('dev', false, 'Start the agent in development mode.');
  fs.bool('server', false, 'Enable server mode for the agent.');
  fs.bool('client', false, 'Enable client mode for the agent.');
  fs.int('bootstrap-expect', 0, 'Number of servers to wait for before bootstrapping.');
  fs.list('config', 'Config file or directory.', '<path>');
  fs.string('data-dir', '', 'Data directory.', '<path>');
  fs.string('bind', '', 'Bind address.', '<addr>');
  fs.string('region', '', 'Region.', '<region>');
  fs.string('dc', '', 'Datacenter.', '<datacenter>');
  fs.string('node', '', 'Node name.', '<name>');
  fs.string('network-interface', '', 'Network interface to fingerprint.', '<interface>');
  fs.string('servers', '', 'Comma-separated server addresses.', '<host:port,...>');
  fs.list('meta', 'Node metadata KEY=VALUE.', '<key=value>');
  fs.string('node-class', '', 'Node class.', '<class>');
  fs.string('node-pool', '', 'Node pool.', '<pool>');
  fs.string('alloc-dir', '', 'Allocation directory.', '<path>');
  fs.string('state-dir', '', 'Client state directory.', '<path>');
  fs.string('plugin-dir', '', 'Plugin directory.', '<path>');
  fs.string('log-level', '', 'Log level.', '<level>');
  fs.bool('log-json', false, 'JSON logs.');
  fs.bool('acl-enabled', false, 'Enable ACLs.');
  const parsed = fs.parse(argv);
  if (parsed.args.length) throw new FlagError(`unexpected arguments: ${parsed.args.join(' ')} (roam agent takes only flags; see roam agent -h)`);

  let config = defaultConfig(hostname);
  if (fs.getBool('dev')) config = mergeConfig(config, devOverrides());
  const paths = fs.getList('config');
  for (const file of configFiles(paths)) {
    config = mergeConfig(config, readConfigFile(file));
    config.files = [...config.files, file];
  }
  const over: DeepPartial<AgentConfig> = { server: {}, client: {} };
  const s = (name: string): string | undefined => (parsed.set.has(name) ? fs.getString(name) : undefined);
  if (parsed.set.has('server')) over.server = { ...over.server, enabled: fs.getBool('server') };
  if (parsed.set.has('client')) over.client = { ...over.client, enabled: fs.getBool('client') };
  if (parsed.set.has('bootstrap-expect')) over.server = { ...over.server, bootstrapExpect: fs.getInt('bootstrap-expect') };
  if (s('data-dir') !== undefined) over.dataDir = s('data-dir');
  if (s('bind') !== undefined) over.bindAddr = s('bind');
  if (s('region') !== undefined) over.region = s('region');
  if (s('dc') !== undefined) over.datacenter = s('dc');
  if (s('node') !== undefined) over.name = s('node');
  if (s('network-interface') !== undefined) over.client = { ...over.client, networkInterface: s('network-interface') };
  if (s('servers') !== undefined) over.client = { ...over.client, servers: (s('servers') ?? '').split(',').map((x) => x.trim()).filter(Boolean) };
  if (s('node-class') !== undefined) over.client = { ...over.client, nodeClass: s('node-class') };
  if (s('node-pool') !== undefined) over.client = { ...over.client, nodePool: s('node-pool') };
  if (s('alloc-dir') !== undefined) over.client = { ...over.client, allocDir: s('alloc-dir') };
  if (s('state-dir') !== undefined) over.client = { ...over.client, stateDir: s('state-dir') };
  if (fs.getList('meta').length) over.client = { ...over.client, meta: Object.fromEntries(fs.getList('meta').map((kv) => splitKeyValue(kv, 'meta'))) };
  if (s('log-level') !== undefined) {
    const lvl = parseLogLevel(s('log-level') ?? '');
    if (!lvl) throw new FlagError(`invalid value ${JSON.stringify(s('log-level'))} for flag -log-level: expected TRACE, DEBUG, INFO, WARN or ERROR`);
    over.logLevel = lvl;
  }
  if (parsed.set.has('log-json')) over.logJson = fs.getBool('log-json');
  if (parsed.set.has('acl-enabled')) over.acl = { enabled: fs.getBool('acl-enabled') };
  config = mergeConfig(config, over);
  config = resolveAddressTemplates(config);
  validateConfig(config);
  return config;
}

/** go-sockaddr templates in bind_addr, addresses, advertise and client network_interface, resolved as Nomad does. */
function resolveAddressTemplates(c: AgentConfig): AgentConfig {
  const problems: string[] = [];
  const resolve = (v: string, setting: string): string => {
    try {
      return resolveSockaddr(v, setting);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
      return v;
    }
  };
  const out: AgentConfig = {
    ...c,
    bindAddr: resolve(c.bindAddr, 'bind_addr'),
    addresses: { ...c.addresses, http: resolve(c.addresses.http, 'addresses.http') },
    advertise: { ...c.advertise, http: resolve(c.advertise.http, 'advertise.http') },
    client: { ...c.client, networkInterface: resolve(c.client.networkInterface, 'client.network_interface') },
  };
  if (problems.length) throw new ConfigError(problems);
  return out;
}

function validateConfig(c: AgentConfig): void {
  const problems: string[] = [];
  if (!c.server.enabled && !c.client.enabled) problems.push('Must specify either server, client or dev mode for the agent.');
  if (!c.devMode && c.server.enabled && c.dataDir === '') problems.push('Must specify "data_dir" (or -data-dir) for a server outside dev mode: the server keeps its state there.');
  if (c.ports.http < 0 || c.ports.http > 65535) problems.push(`ports.http must be between 0 and 65535, got ${c.ports.http}`);
  if (c.client.minDynamicPort > c.client.maxDynamicPort) problems.push(`client.min_dynamic_port (${c.client.minDynamicPort}) must not exceed client.max_dynamic_port (${c.client.maxDynamicPort})`);
  if (problems.length) throw new ConfigError(problems);
}

function banner(c: AgentConfig, httpAddr: string): string {
  const rows: [string, string][] = [
    ['Advertise Addrs', `HTTP: ${httpAddr}`],
    ['Bind Addrs', `HTTP: [${httpBindAddr(c)}:${httpAddr.split(':').pop()}]`],
    ['Client', String(c.client.enabled)],
    ['Log Level', c.logLevel],
    ['Region', `${c.region} (DC: ${c.datacenter})`],
    ['Server', String(c.server.enabled)],
    ['Version', ROAM_VERSION],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${' '.repeat(w - k.length + 7)}${k}: ${v}`).join('\n');
}

/** Runs `roam agent ARGS…`; resolves with the process exit code once the agent has stopped. */
export async function runAgentCommand(argv: string[], io: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  let config: AgentConfig;
  try {
    config = loadAgentConfig(argv);
  } catch (err) {
    if (err instanceof HelpRequested) {
      io.out(agentHelp);
      return 0;
    }
    if (err instanceof FlagError || err instanceof ConfigError) {
      io.err(`==> Error: ${err.message.replace(/\n/g, '\n    ')}\n`);
      return 1;
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, json: config.logJson });
  io.out(config.files.length ? `==> Loaded configuration from ${config.files.join(', ')}\n` : '==> No configuration files loaded\n');
  io.out('==> Starting Roam agent...\n');
  const agent = new Agent(config, logger.named('agent'));
  // A signal while the agent starts (the API may already answer) is held and handled once it has.
  let early: NodeJS.Signals | undefined;
  const holdSignal = (sig: NodeJS.Signals): void => void (early ??= sig);
  process.on('SIGINT', holdSignal);
  process.on('SIGTERM', holdSignal);
  try {
    await agent.start();
  } catch (err) {
    io.err(`==> Error starting agent: ${(err as Error).message}\n`);
    await agent.shutdown();
    return 1;
  } finally {
    process.off('SIGINT', holdSignal);
    process.off('SIGTERM', holdSignal);
  }
  io.out(`==> Roam agent configuration:\n\n${banner(config, agent.httpAddress)}\n\n==> Roam agent started! Log data will stream in below:\n\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals): void => {
      if (stopping) {
        io.err('==> Second signal received, exiting without waiting for a graceful shutdown\n');
        process.exit(1);
      }
      stopping = true;
      io.out(`==> Caught signal: ${sig === 'SIGINT' ? 'interrupt' : 'terminated'}\n`);
      agent.shutdown().then(
        () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve(0);
        },
        (err: unknown) => {
          io.err(`==> Error during shutdown: ${(err as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (early) onSignal(early);
  });
}
