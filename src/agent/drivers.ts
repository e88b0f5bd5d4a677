// The driver registry of a client agent: which concrete task drivers this agent runs, with their
// plugin config. Only src/agent imports concrete drivers; the client sees the TaskDriver interface.
// raw_exec is always registered (so a node reports it as "disabled" rather than missing) and is
// enabled by `plugin "raw_exec" { config { enabled = true } }`, the legacy option
// driver.raw_exec.enable, or -dev. The mock driver exists only when `plugin "mock_driver"` is
// configured (tests and simulations), as Nomad's mock driver is not in a normal agent either.
// docker is always registered too: healthy when dockerd answers, "undetected" otherwise.
import type { Logger } from '../structs/logger.js';
import type { DriverFactory, TaskDriver } from '../drivers/driver.js';
import { DOCKER, dockerDriverFactory } from '../drivers/docker/driver.js';
import { MOCK_DRIVER, mockDriverFactory } from '../drivers/mock/driver.js';
import { RAW_EXEC, rawExecDriverFactory } from '../drivers/rawexec/driver.js';
import { pluginEnabled, type AgentConfig } from './config.js';
import { parseGoBool } from '../structs/strconv.js';

interface DriverEntry {
  name: string;
  factory: DriverFactory;
  /** Whether this agent registers the driver at all. */
  wanted(c: AgentConfig): boolean;
  /** The plugin config handed to the factory. */
  pluginConfig(c: AgentConfig): Record<string, unknown>;
}

const catalog: DriverEntry[] = [
  {
    name: RAW_EXEC,
    factory: rawExecDriverFactory,
    wanted: () => true,
    pluginConfig: (c) => ({ ...(c.plugins[RAW_EXEC]?.config ?? {}), enabled: pluginEnabled(c, RAW_EXEC) }),
  },
  {
    name: DOCKER,
    factory: dockerDriverFactory,
    wanted: () => true,
    pluginConfig: dockerPluginConfig,
  },
  {
    name: MOCK_DRIVER,
    factory: mockDriverFactory,
    wanted: (c) => c.plugins[MOCK_DRIVER] !== undefined,
    pluginConfig: (c) => ({ ...(c.plugins[MOCK_DRIVER]?.config ?? {}) }),
  },
];

/** The docker plugin config with Nomad's legacy client options folded in (the plugin block wins). */
export function dockerPluginConfig(c: AgentConfig): Record<string, unknown> {
  const o = c.client.options;
  const legacy: Record<string, unknown> = {};
  // Nomad reads the legacy options with strconv.ParseBool; anything else leaves the default.
  const bool = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : parseGoBool(v));
  if (o['docker.endpoint']) legacy.endpoint = o['docker.endpoint'];
  const volumes = bool(o['docker.volumes.enabled'] ?? o['driver.docker.volumes']);
  if (volumes !== undefined) legacy.volumes = { enabled: volumes };
  const privileged = bool(o['docker.privileged.enabled']);
  if (privileged !== undefined) legacy.allow_privileged = privileged;
  const caps = o['docker.caps.allowlist'] ?? o['docker.caps.whitelist'];
  if (caps) legacy.allow_caps = caps.split(',').map((s) => s.trim()).filter(Boolean);
  const cleanupImage = bool(o['docker.cleanup.image']);
  if (cleanupImage !== undefined) legacy.gc = { image: cleanupImage };
  return { ...legacy, ...(c.plugins[DOCKER]?.config ?? {}) };
}

/** Builds the drivers of a client agent; a driver whose plugin config is invalid is logged and left out. */
export function buildDrivers(c: AgentConfig, logger: Logger): Map<string, TaskDriver> {
  const out = new Map<string, TaskDriver>();
  for (const e of catalog) {
    if (!e.wanted(c)) continue;
    try {
      out.set(e.name, e.factory(e.pluginConfig(c), logger));
    } catch (err) {
      logger.error('failed to load driver plugin', { driver: e.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
