// The agent: one process running the HTTP API and the roles its configuration enables (server,
// client). This file wires concrete pieces together and owns their start and stop order; the
// pieces themselves live in src/server, src/client and src/http.
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '../client/client.js';
import { agentRoutes, type AgentInfo } from '../http/routes/agent.js';
import { clientRoutes, type ClientRouteDeps } from '../http/routes/client.js';
import { clusterRoutes } from '../http/routes/cluster.js';
import { registerExecRoute } from '../http/routes/exec.js';
import { eventRoutes } from '../http/routes/events.js';
import { internalRoutes } from '../http/routes/internal.js';
import { jobRoutes } from '../http/routes/jobs.js';
import { serviceRoutes } from '../http/routes/services.js';
import { uiRoutes } from '../http/routes/ui.js';
import { variableRoutes } from '../http/routes/variables.js';
import { HttpServer } from '../http/server.js';
import { defaultServerConfig } from '../server/context.js';
import { Server } from '../server/server.js';
import { openMemoryKv } from '../state/backends/memory.js';
import { openSqliteKv } from '../state/backends/sqlite.js';
import type { KV } from '../state/kv.js';
import type { Logger } from '../structs/logger.js';
import { ROAM_VERSION } from '../structs/version.js';
import { generateUUID } from '../structs/ids.js';
import { httpAdvertiseAddr, httpBindAddr, type AgentConfig } from './config.js';
import { buildDrivers } from './drivers.js';
import type { ClientTemplateConfig } from '../client/taskrunner/hooks/template-changes.js';
import { lookupUser } from '../drivers/shared/users.js';

/** `client { template { … } }` for the client: a wait without max waits at most 4×min, as consul-template. */
function clientTemplateConfig(t: AgentConfig['client']['template']): ClientTemplateConfig {
  const out: ClientTemplateConfig = {};
  if (t.wait?.minMs !== undefined || t.wait?.maxMs !== undefined) {
    const minMs = t.wait.minMs ?? 0;
    out.wait = { minMs, maxMs: t.wait.maxMs ?? minMs * 4 };
  }
  if (t.waitBounds) out.waitBounds = { ...t.waitBounds };
  return out;
}

export class Agent implements AgentInfo {
  private http: HttpServer | undefined;
  private kv: KV | undefined;
  server: Server | undefined;
  /** The client role, when enabled: node lifecycle and the allocations it runs. */
  client: Client | undefined;
  private boundPort = 0;
  private readonly startedAt = Date.now();
  private readonly nodeId = generateUUID();

  constructor(
    readonly config: AgentConfig,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const c = this.config;
    this.http = new HttpServer({
      host: httpBindAddr(c),
      port: c.ports.http,
      logger: this.logger.named('http'),
      bodyLimit: c.server.maxRequestBytes,
      defaults: { region: c.region },
    });
    this.http.addRoutes(agentRoutes(this));
    // The web UI (ui/dist, or ROAM_UI_DIR) at /ui, and / redirecting there.
    this.http.addRoutes(uiRoutes({ dir: process.env['ROAM_UI_DIR'] || undefined, enabled: c.ui.enabled }));
    if (c.server.enabled) {
      this.kv = this.openStore();
      const s = c.server;
      const cfg = {
        ...defaultServerConfig(),
        region: c.region,
        datacenter: c.datacenter,
        numSchedulers: s.numSchedulers || defaultServerConfig().numSchedulers,
        minHeartbeatTTL: s.minHeartbeatTTL,
        heartbeatGrace: s.heartbeatGrace,
        maxHeartbeatsPerSecond: s.maxHeartbeatsPerSecond,
        failoverHeartbeatTTL: s.failoverHeartbeatTTL,
        jobGCThreshold: s.jobGCThreshold,
        evalGCThreshold: s.evalGCThreshold,
        batchEvalGCThreshold: s.batchEvalGCThreshold,
        nodeGCThreshold: s.nodeGCThreshold,
        deploymentGCThreshold: s.deploymentGCThreshold,
        gcInterval: s.jobGCInterval,
      };
      this.server = new Server(this.kv, this.logger.named('server'), cfg);
      await this.server.start();
      this.http.addRoutes([...jobRoutes(this.server), ...clusterRoutes(this.server), ...internalRoutes(this.server), ...eventRoutes(this.server), ...serviceRoutes(this.server), ...variableRoutes(this.server)]);
    }
    // Client routes serve this agent's allocations and, on a server, forward to the node running
    // one; they are added before listening, the client role filling in once it starts.
    if (c.client.enabled || c.server.enabled) {
      const deps: ClientRouteDeps = { client: () => this.client, server: () => this.server, selfAddress: () => this.httpAddress, logger: this.logger.named('http') };
      this.http.addRoutes(clientRoutes(deps));
      registerExecRoute(this.http.fastify, deps);
    }
    const addr = await this.http.listen();
    this.boundPort = addr.port;
    this.logger.info('http server listening', { address: `${addr.host}:${addr.port}` });
    // The client starts once the HTTP server listens: even in one process it reaches the server
    // only over HTTP (its own address when this agent is a server too).
    if (c.client.enabled) await this.startClient();
  }

  private async startClient(): Promise<void> {
    const c = this.config;
    const servers = c.server.enabled ? [this.httpAddress, ...c.client.servers.filter((s) => s !== this.httpAddress)] : c.client.servers;
    if (servers.length === 0) throw new Error('client has no servers to talk to: pass -servers host:port or set client { servers = [...] }');
    const persistent = !c.devMode && c.dataDir !== '';
    if (!c.devMode && c.dataDir === '' && (c.client.stateDir === '' || c.client.allocDir === '')) {
      throw new Error('Must specify "data_dir" (or -data-dir) for a client outside dev mode: the client keeps its node identity and task state there.');
    }
    const stateDir = c.client.stateDir || (persistent ? path.join(c.dataDir, 'client') : '');
    const allocDir = c.client.allocDir || (persistent ? path.join(c.dataDir, 'alloc') : '');
    const logger = this.logger.named('client');
    const drivers = buildDrivers(c, logger.named('driver'));
    this.client = new Client({
      servers,
      region: c.region,
      datacenter: c.datacenter,
      nodeName: c.name,
      nodeClass: c.client.nodeClass,
      nodePool: c.client.nodePool,
      meta: c.client.meta,
      networkInterface: c.client.networkInterface,
      minDynamicPort: c.client.minDynamicPort,
      maxDynamicPort: c.client.maxDynamicPort,
      stateDir,
      allocDir,
      devMode: c.devMode,
      advertiseAddress: this.httpAddress,
      drivers,
      logger,
      artifacts: { config: c.client.artifact, lookupUser },
      templates: clientTemplateConfig(c.client.template),
    });
    await this.client.start();
    this.logger.info('client started', { node_id: this.client.nodeID, servers: servers.join(',') });
  }

  /** host:port of the HTTP API as other agents should reach it. */
  get httpAddress(): string {
    return httpAdvertiseAddr(this.config, this.boundPort);
  }

  /** The server's state store: in memory in dev mode (nothing persists), SQLite under data_dir otherwise. */
  private openStore(): KV {
    if (this.config.devMode || this.config.dataDir === '') return openMemoryKv();
    const dir = path.join(this.config.dataDir, 'server');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, 'state.db');
    this.logger.info('opening server state', { path: file });
    return openSqliteKv(file);
  }

  async shutdown(): Promise<void> {
    this.logger.info('requesting shutdown');
    // The client stops first, while its servers still answer; outside dev mode its tasks keep running.
    await this.client?.stop();
    this.client = undefined;
    await this.http?.close();
    this.http = undefined;
    await this.server?.stop();
    this.server = undefined;
    await this.kv?.close();
    this.kv = undefined;
    this.logger.info('shutdown complete');
  }

  // ---- AgentInfo ------------------------------------------------------------------------------

  selfConfig(): Record<string, unknown> {
    const c = this.config;
    return {
      Region: c.region,
      Datacenter: c.datacenter,
      NodeName: c.name,
      DataDir: c.dataDir,
      LogLevel: c.logLevel,
      LogJson: c.logJson,
      BindAddr: c.bindAddr,
      EnableDebug: false,
      Ports: { HTTP: this.boundPort || c.ports.http, RPC: c.ports.rpc, Serf: c.ports.serf },
      Addresses: { HTTP: httpBindAddr(c), RPC: c.bindAddr, Serf: c.bindAddr },
      AdvertiseAddrs: { HTTP: this.httpAddress, RPC: this.httpAddress, Serf: this.httpAddress },
      Server: { Enabled: c.server.enabled, BootstrapExpect: c.server.bootstrapExpect, NumSchedulers: c.server.numSchedulers },
      Client: {
        Enabled: c.client.enabled,
        Servers: c.client.servers,
        NodeClass: c.client.nodeClass,
        NodePool: c.client.nodePool,
        Meta: c.client.meta,
        NetworkInterface: c.client.networkInterface,
        Options: c.client.options,
        MinDynamicPort: c.client.minDynamicPort,
        MaxDynamicPort: c.client.maxDynamicPort,
        StateDir: c.client.stateDir,
        AllocDir: c.client.allocDir,
      },
      UI: { Enabled: c.ui.enabled },
      ACL: { Enabled: c.acl.enabled },
      DevMode: c.devMode,
      Version: { Version: ROAM_VERSION, VersionPrerelease: '', VersionMetadata: '', Revision: '' },
      Files: c.files,
      Plugins: Object.entries(c.plugins).map(([name, p]) => ({ Name: name, Config: p.config })),
    };
  }

  member(): ReturnType<AgentInfo['member']> {
    const [host, port] = splitHostPort(this.httpAddress);
    return {
      Name: `${this.config.name}.${this.config.region}`,
      Addr: host,
      Port: port,
      Tags: {
        role: 'nomad',
        region: this.config.region,
        dc: this.config.datacenter,
        build: ROAM_VERSION,
        vsn: '1',
        id: this.nodeId,
        rpc_addr: host,
        port: String(port),
        bootstrap: this.config.server.bootstrapExpect === 1 ? '1' : '0',
        expect: String(this.config.server.bootstrapExpect),
      },
      Status: 'alive',
      ProtocolMin: 1,
      ProtocolMax: 5,
      ProtocolCur: 2,
      DelegateMin: 2,
      DelegateMax: 5,
      DelegateCur: 4,
    };
  }

  stats(): Record<string, Record<string, string>> {
    const c = this.config;
    const out: Record<string, Record<string, string>> = {
      runtime: {
        arch: os.arch(),
        cpu_count: String(os.cpus().length),
        kernel: os.platform(),
        version: process.version,
        heap_used_bytes: String(process.memoryUsage().heapUsed),
        uptime: `${Math.round((Date.now() - this.startedAt) / 1000)}s`,
      },
    };
    if (c.server.enabled) {
      out['nomad'] = {
        bootstrap: String(c.server.bootstrapExpect === 1),
        known_regions: '1',
        leader: 'true',
        leader_addr: this.leaderAddr(),
        server: 'true',
      };
    }
    if (c.client.enabled) {
      out['client'] = { known_servers: c.client.servers.length ? c.client.servers.join(',') : this.httpAddress, node_id: this.client?.nodeID ?? '' };
    }
    return out;
  }

  health(): ReturnType<AgentInfo['health']> {
    const out: ReturnType<AgentInfo['health']> = {};
    if (this.config.server.enabled) out.server = { ok: true, message: 'ok' };
    // The API answers while the client still fingerprints: it is healthy once it has a node.
    if (this.config.client.enabled) out.client = this.client?.nodeID ? { ok: true, message: 'ok' } : { ok: false, message: 'client is starting' };
    return out;
  }

  leaderAddr(): string {
    return this.config.server.enabled ? this.httpAddress : '';
  }
  peers(): string[] {
    return this.config.server.enabled ? [this.httpAddress] : [];
  }
  regions(): string[] {
    return [this.config.region];
  }
  region(): string {
    return this.config.region;
  }
  datacenter(): string {
    return this.config.datacenter;
  }
  isServer(): boolean {
    return this.config.server.enabled;
  }
}

function splitHostPort(addr: string): [string, number] {
  const i = addr.lastIndexOf(':');
  return i < 0 ? [addr, 0] : [addr.slice(0, i), Number(addr.slice(i + 1))];
}
