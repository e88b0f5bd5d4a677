// The driver registry of a client agent: which concrete task drivers this agent runs, with their
// plugin config. Only src/agent imports concrete drivers; the client sees the TaskDriver interface.
// raw_exec is always registered (so a node reports it as "disabled" rather than missing) and is
// enabled by `plugin "raw_exec" { config { enabled = true } }`, the legacy option
// driver.raw_exec.enable, or -dev. The mock driver exists only when `plugin "mock_driver"` is
// configured (tests and simulations), as Nomad's mock driver is not in a normal agent either.
import type { Logger } from '../structs/logger.js';
import type { DriverFactory, TaskDriver } from '../drivers/driver.js';
import { MOCK_DRIVER, mockDriverFactory } from '../drivers/mock/driver.js';
import { RAW_EXEC, rawExecDriverFactory } from '../drivers/rawexec/driver.js';
import { pluginEnabled, type AgentConfig } from './config.js';

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
    name: MOCK_DRIVER,
    factory: mockDriverFactory,
    wanted: (c) => c.plugins[MOCK_DRIVER] !== undefined,
    pluginConfig: (c) => ({ ...(c.plugins[MOCK_DRIVER]?.config ?? {}) }),
  },
];

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
