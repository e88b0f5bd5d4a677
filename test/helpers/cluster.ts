// An in-process agent with only the server role, on a free port, for API and scheduling tests —
// plus simulated client nodes that register and heartbeat through the same internal HTTP routes a
// real client uses.
import os from 'node:os';
import { Agent } from '../../src/agent/agent.js';
import { defaultConfig, mergeConfig, type AgentConfig, type DeepPartial } from '../../src/agent/config.js';
import { RoamApi } from '../../src/api/index.js';
import { createLogger } from '../../src/agent/logger.js';
import { nullLogger } from '../../src/structs/logger.js';
import { mockNode } from '../../src/structs/mock.js';
import type { Node } from '../../src/structs/node.js';
import { waitFor as waitForAny } from './wait.js';

export interface TestCluster {
  agent: Agent;
  api: RoamApi;
  address: string;
  close(): Promise<void>;
}

export async function startServer(over: DeepPartial<AgentConfig> = {}): Promise<TestCluster> {
  const base = mergeConfig(defaultConfig(os.hostname()), {
    bindAddr: '127.0.0.1',
    devMode: true,
    logLevel: 'OFF',
    ports: { http: 0 },
    server: { enabled: true, bootstrapExpect: 1, numSchedulers: 2 },
  });
  const config = mergeConfig(base, over);
  const agent = new Agent(config, process.env['ROAM_TEST_LOG'] ? createLogger({ level: 'DEBUG' }) : nullLogger);
  await agent.start();
  const address = `http://${agent.httpAddress}`;
  return { agent, api: new RoamApi({ address }), address, close: () => agent.shutdown() };
}

/** A simulated client node: registered, marked ready, and (optionally) heartbeating until stopped. */
export interface SimNode {
  node: Node;
  api: RoamApi;
  /** Stops heartbeating (the server will mark the node down after its TTL). */
  stopHeartbeats(): void;
}

export async function addNode(cluster: TestCluster, over: Partial<Node> = {}, heartbeat = true): Promise<SimNode> {
  const node = mockNode({ Datacenter: 'dc1', ...over });
  const api = new RoamApi({ address: cluster.address, token: node.SecretID });
  const reg = await api.internal.registerNode(node);
  let ttlMs = reg.data.HeartbeatTTL / 1e6;
  await api.internal.updateStatus(node.ID, 'ready');
  let timer: NodeJS.Timeout | undefined;
  const beat = (): void => {
    timer = setTimeout(() => {
      api.internal.updateStatus(node.ID, 'ready').then(
        (r) => {
          ttlMs = r.data.HeartbeatTTL / 1e6;
          if (timer !== undefined) beat();
        },
        () => undefined,
      );
    }, Math.max(50, ttlMs / 2));
    timer.unref();
  };
  if (heartbeat) beat();
  return {
    node,
    api,
    stopHeartbeats: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** waitFor with the in-process tests' bounds: 15 s, polling every 50 ms. */
export function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  return waitForAny(what, fn, timeoutMs, 50);
}
