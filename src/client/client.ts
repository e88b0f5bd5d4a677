// The client role (Nomad's client.Client): fingerprints the node, restores the allocations it was
// running before an agent restart (re-attaching to their tasks), registers and heartbeats, watches
// its allocations and runs an alloc runner for each, and reports their state back in batches. It
// reaches servers only over HTTP through src/api. Stopping the client leaves tasks running — they
// are recovered on the next start — except in dev mode, which destroys everything, as Nomad's does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Allocation } from '../structs/alloc.js';
import { isTerminalAlloc } from '../structs/alloc.js';
import type { Logger } from '../structs/logger.js';
import type { Node } from '../structs/node.js';
import type { TaskDriver } from '../drivers/driver.js';
import { AllocRunner } from './allocrunner/alloc-runner.js';
import { AllocSync } from './alloc-sync.js';
import { AllocWatcher, type AllocUpdates } from './alloc-watcher.js';
import { errorMessage, Latch, sleep } from './async.js';
import { driversChanged, fingerprintDrivers } from './fingerprint/drivers.js';
import { fingerprintHostNode } from './fingerprint/index.js';
import { Heartbeater } from './heartbeat.js';
import { buildNode, ensureNodeIdentity } from './node.js';
import { ServerList } from './servers.js';
import { NoopStateDB, SqliteStateDB, type ClientStateDB, type PersistedAlloc } from './state-db.js';
import { buildAllocHooks } from './allocrunner/hooks.js';
import { CheckStore } from './checks/store.js';
import { CheckWatcher } from './checks/watcher.js';
import { ApiServiceRegistrar } from './services.js';
import type { ArtifactGetterOptions } from './artifacts/getter.js';
import { buildTaskHooks } from './taskrunner/hooks.js';
import { ApiTemplateDataSource } from './taskrunner/hooks/template-data.js';
import type { ClientTemplateConfig } from './taskrunner/hooks/template-changes.js';
import type { TaskRunnerConfig } from './taskrunner/task-runner.js';

export const DRIVER_FINGERPRINT_INTERVAL_MS = 30_000;

export interface ClientConfig {
  /** Server HTTP addresses ("host:port" or URLs), tried in order. */
  servers: string[];
  region: string;
  datacenter: string;
  nodeName: string;
  nodeClass: string;
  nodePool: string;
  meta: Record<string, string>;
  networkInterface: string;
  minDynamicPort: number;
  maxDynamicPort: number;
  /** Where client-id, secret-id and state.db live; a temporary directory in dev mode when empty. */
  stateDir: string;
  /** Where allocation directories live; a temporary directory in dev mode when empty. */
  allocDir: string;
  devMode: boolean;
  /** The agent's HTTP address as others reach it (unique.advertise.address, Node.HTTPAddr). */
  advertiseAddress: string;
  drivers: ReadonlyMap<string, TaskDriver>;
  logger: Logger;
  /** The agent's environment, passed to tasks of drivers without isolation (default process.env). */
  hostEnv?: Readonly<Record<string, string | undefined>>;
  driverFingerprintIntervalMs?: number;
  registerRetryMs?: number;
  /** The client's `artifact` settings and the host's user lookup (for `chown`); Nomad's defaults when absent. */
  artifacts?: ArtifactGetterOptions;
  /** The client's `template` settings: the default wait and the bounds of a template's own wait. */
  templates?: ClientTemplateConfig;
  /** Options for every task runner (tests: kill backoff, clock). */
  taskRunner?: Partial<Pick<TaskRunnerConfig, 'maxKillTimeoutMs' | 'killBackoffBaseMs' | 'now' | 'random'>>;
}

export class Client {
  private readonly log: Logger;
  private registrar: ApiServiceRegistrar | undefined;
  /** Results of Nomad-provider service checks, and the check_restart watcher that polls them. */
  private readonly checkStore = new CheckStore();
  private checkWatcher: CheckWatcher | undefined;
  private readonly runners = new Map<string, AllocRunner>();
  private readonly serversContacted = new Latch();
  private readonly stopCtl = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly tempDirs: string[] = [];
  private db: ClientStateDB = new NoopStateDB();
  private currentNode: Node | undefined;
  private servers: ServerList | undefined;
  private heartbeater: Heartbeater | undefined;
  private sync: AllocSync | undefined;
  private stateDir = '';
  private allocRoot = '';
  private started = false;

  constructor(private readonly config: ClientConfig) {
    this.log = config.logger;
  }

  // ---- what the agent and the HTTP layer use --------------------------------------------------

  get nodeID(): string {
    return this.currentNode?.ID ?? '';
  }

  /** The node as last fingerprinted and registered. */
  node(): Node {
    if (!this.currentNode) throw new Error('client not started');
    return this.currentNode;
  }

  allocRunner(id: string): AllocRunner | undefined {
    return this.runners.get(id);
  }

  allocRunners(): AllocRunner[] {
    return [...this.runners.values()];
  }

  driver(name: string): TaskDriver | undefined {
    return this.config.drivers.get(name);
  }

  /** The client's alloc_dir (each allocation in <allocDir>/<alloc_id>). */
  get allocDir(): string {
    return this.allocRoot;
  }

  /** Resolves once the node has registered with a server. */
  registered(): Promise<void> {
    return this.heartbeater?.registered.promise ?? Promise.reject(new Error('client not started'));
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const c = this.config;
    this.stateDir = c.stateDir || this.tempDir('RoamClient-state-');
    this.allocRoot = c.allocDir || this.tempDir('RoamClient-alloc-');
    fs.mkdirSync(this.allocRoot, { recursive: true, mode: 0o711 });
    const identity = ensureNodeIdentity(this.stateDir);
    this.db = c.devMode ? new NoopStateDB() : new SqliteStateDB(path.join(this.stateDir, 'state.db'));

    const host = fingerprintHostNode({ allocDir: this.allocRoot, networkInterface: c.networkInterface, minDynamicPort: c.minDynamicPort, maxDynamicPort: c.maxDynamicPort, advertiseAddress: c.advertiseAddress });
    const drivers = await fingerprintDrivers(c.drivers, Date.now());
    this.currentNode = buildNode(identity, { name: c.nodeName || os.hostname(), datacenter: c.datacenter, nodeClass: c.nodeClass, nodePool: c.nodePool, meta: c.meta, httpAddr: c.advertiseAddress }, host, drivers);
    this.log.info('node fingerprinted', { node_id: identity.id, drivers: Object.entries(drivers.drivers).filter(([, d]) => d.Healthy).map(([n]) => n).join(',') });

    this.servers = new ServerList(c.servers, identity.secret, c.region);
    this.heartbeater = new Heartbeater({ servers: this.servers, node: () => this.node(), logger: this.log, devMode: c.devMode, ...(c.registerRetryMs !== undefined ? { registerRetryMs: c.registerRetryMs } : {}) });
    this.sync = new AllocSync(this.servers, () => this.nodeID, this.log);

    this.checkStore.attach(this.db);
    await this.restoreState();
    this.checkStore.retainOnly(new Set(this.runners.keys()));
    // Drivers learn the node once its tasks are recovered (the docker driver then reaps
    // containers of this node that no task owns).
    for (const d of c.drivers.values()) d.init?.({ nodeID: identity.id });

    const signal = this.stopCtl.signal;
    this.loops.push(this.heartbeater.run(signal));
    const watcher = new AllocWatcher({
      servers: this.servers,
      nodeID: identity.id,
      logger: this.log,
      known: () => new Map(this.allocRunners().map((ar) => [ar.id, ar.alloc().AllocModifyIndex])),
      onUpdates: (u) => this.runAllocs(u),
      onNodeNotFound: () => this.heartbeater?.nodeChanged(),
    });
    const sync = this.sync;
    const registered = this.heartbeater.registered.promise;
    this.loops.push(this.afterRegistration(registered, () => watcher.run(signal)));
    this.loops.push(this.afterRegistration(registered, () => sync.run(signal)));
    this.loops.push(this.driverFingerprintLoop(signal));
    this.loops.push(this.watcher.run(signal));
  }

  private tempDir(prefix: string): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.tempDirs.push(d);
    return d;
  }

  private async afterRegistration(registered: Promise<void>, loop: () => Promise<void>): Promise<void> {
    const abort = new Promise<'stop'>((r) => this.stopCtl.signal.addEventListener('abort', () => r('stop'), { once: true }));
    if ((await Promise.race([registered.then(() => 'go' as const), abort])) === 'stop') return;
    await loop();
  }

  /** Re-creates the alloc runners persisted before a restart and re-attaches to their tasks (Nomad's restoreState). */
  private async restoreState(): Promise<void> {
    if (!this.db.persistent) return;
    for (const p of this.db.allocations()) {
      const hasTaskState = Object.values(p.tasks).some((t) => t.taskState !== null || t.local !== null);
      if (!hasTaskState) {
        this.db.deleteAllocation(p.alloc.ID);
        continue;
      }
      const ar = this.newAllocRunner(p.alloc, p);
      try {
        await ar.restore();
      } catch (err) {
        this.log.error('failed to restore allocation', { alloc_id: p.alloc.ID, error: errorMessage(err) });
      }
      this.runners.set(ar.id, ar);
      this.log.info('restored allocation', { alloc_id: ar.id, status: ar.alloc().ClientStatus });
    }
    for (const ar of this.runners.values()) void ar.run();
  }

  /** The registrar of provider="nomad" services, shared by every alloc and task runner. */
  private get serviceRegistrar(): ApiServiceRegistrar {
    // check_restart restarts a task runner (task services) or an alloc runner's running tasks (group services).
    const restarter = (allocID: string, task: string | undefined): { restart(reason: string, failure: boolean): Promise<void> } | undefined => {
      const ar = this.runners.get(allocID);
      return task === undefined ? ar : ar?.taskRunner(task);
    };
    this.registrar ??= new ApiServiceRegistrar(() => this.servers?.api, () => this.node(), this.config.region, this.log.named('services'), { watcher: this.watcher, restarter });
    return this.registrar;
  }

  private get watcher(): CheckWatcher {
    this.checkWatcher ??= new CheckWatcher({ statuses: () => this.checkStore.snapshot(), logger: this.log.named('watch.checks') });
    return this.checkWatcher;
  }

  private newAllocRunner(alloc: Allocation, restore?: PersistedAlloc): AllocRunner {
    const c = this.config;
    return new AllocRunner({
      alloc,
      drivers: c.drivers,
      allocRoot: this.allocRoot,
      node: () => this.node(),
      region: c.region,
      hostEnv: c.hostEnv ?? process.env,
      db: this.db,
      logger: this.log,
      onUpdate: (ar) => this.sync?.enqueue(ar),
      serversContacted: this.serversContacted.promise,
      restore,
      // Provider "nomad" services are registered through this client's current server.
      hooks: buildAllocHooks({ services: this.serviceRegistrar, checks: { store: this.checkStore, node: () => this.node(), region: c.region } }),
      checks: this.checkStore,
      // Templates read services (GET /v1/service/:name) through this client's current server.
      taskRunner: {
        hooks: buildTaskHooks({ templates: { dataSource: () => new ApiTemplateDataSource(() => this.servers?.api), ...(c.templates ? { client: c.templates } : {}) }, services: this.serviceRegistrar, ...(c.artifacts ? { artifacts: c.artifacts } : {}) }),
        ...c.taskRunner,
      },
    });
  }

  /** Applies what the servers say this node runs (Nomad's runAllocs). */
  private runAllocs(u: AllocUpdates): void {
    for (const id of u.removed) {
      const ar = this.runners.get(id);
      if (!ar) continue;
      this.runners.delete(id);
      this.log.debug('allocation removed by the servers; destroying', { alloc_id: id });
      void ar.destroy().catch((err: unknown) => this.log.error('failed to destroy allocation', { alloc_id: id, error: errorMessage(err) }));
    }
    for (const alloc of u.pulled) {
      const ar = this.runners.get(alloc.ID);
      if (ar) {
        ar.update(alloc);
        continue;
      }
      // Nothing to run for an allocation that is already terminal when this node first sees it.
      if (isTerminalAlloc(alloc) && alloc.ClientStatus !== 'pending' && alloc.ClientStatus !== 'running') continue;
      const created = this.newAllocRunner(alloc);
      this.runners.set(alloc.ID, created);
      this.sync?.enqueue(created);
      void created.run();
    }
    this.serversContacted.open();
  }

  /** Re-fingerprints drivers every 30 s; a change (health, attributes) re-registers the node. */
  private async driverFingerprintLoop(signal: AbortSignal): Promise<void> {
    const every = this.config.driverFingerprintIntervalMs ?? DRIVER_FINGERPRINT_INTERVAL_MS;
    while ((await sleep(every, signal)) === 'timeout') {
      const node = this.currentNode;
      if (!node) continue;
      const fp = await fingerprintDrivers(this.config.drivers, Date.now());
      if (!driversChanged(node.Drivers, fp.drivers)) continue;
      const attrs = Object.fromEntries(Object.entries(node.Attributes).filter(([k]) => !k.startsWith('driver.')));
      this.currentNode = { ...node, Drivers: fp.drivers, Attributes: { ...attrs, ...fp.attributes } };
      this.log.info('driver fingerprint changed; updating the node', { drivers: Object.entries(fp.drivers).map(([n, d]) => `${n}:${d.Healthy ? 'healthy' : d.Detected ? 'unhealthy' : 'undetected'}`).join(',') });
      this.heartbeater?.nodeChanged();
    }
  }

  /**
   * Stops the client. Outside dev mode, tasks keep running and their state stays in the state
   * database for the next start; in dev mode every allocation is destroyed (tasks killed, alloc
   * dirs removed) and the temporary directories are deleted.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.config.devMode) {
      await Promise.all(this.allocRunners().map((ar) => ar.destroy().catch((err: unknown) => this.log.error('failed to destroy allocation', { alloc_id: ar.id, error: errorMessage(err) }))));
    }
    // One last report of what changed, best effort, before the loops stop.
    if (this.heartbeater?.registered.isOpen) await this.sync?.flush().catch(() => false);
    this.stopCtl.abort();
    await Promise.all(this.loops);
    if (!this.config.devMode) await Promise.all(this.allocRunners().map((ar) => ar.shutdown()));
    this.runners.clear();
    await Promise.all([...this.config.drivers.values()].map((d) => d.shutdown().catch(() => undefined)));
    this.db.close();
    for (const d of this.tempDirs) fs.rmSync(d, { recursive: true, force: true });
  }
}
