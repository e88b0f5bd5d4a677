// Driver fingerprints (Nomad's driver manager + applyNodeUpdatesFromDriver): each driver's
// fingerprint becomes Node.Drivers[name] = {Detected, Healthy, HealthDescription, Attributes,
// UpdateTime} and, for a healthy driver, its attributes plus the compat `driver.<name> = "1"`.
import type { DriverInfo } from '../../structs/node.js';
import { goTime } from '../../structs/time.js';
import type { Fingerprint, TaskDriver } from '../../drivers/driver.js';
import { errorMessage } from '../async.js';

export interface DriverFingerprints {
  drivers: Record<string, DriverInfo>;
  /** Node attributes contributed by healthy drivers. */
  attributes: Record<string, string>;
}

export async function fingerprintDrivers(drivers: ReadonlyMap<string, TaskDriver>, nowMs: number): Promise<DriverFingerprints> {
  const out: DriverFingerprints = { drivers: {}, attributes: {} };
  for (const [name, d] of [...drivers].sort(([a], [b]) => a.localeCompare(b))) {
    let fp: Fingerprint;
    try {
      fp = await d.fingerprint();
    } catch (err) {
      fp = { health: 'unhealthy', healthDescription: `fingerprint failed: ${errorMessage(err)}`, attributes: {} };
    }
    const detected = fp.health !== 'undetected';
    const healthy = fp.health === 'healthy';
    out.drivers[name] = { Attributes: detected ? { ...fp.attributes } : null, Detected: detected, Healthy: healthy, HealthDescription: fp.healthDescription, UpdateTime: goTime(nowMs) };
    if (healthy) {
      Object.assign(out.attributes, fp.attributes);
      out.attributes[`driver.${name}`] = '1';
    }
  }
  return out;
}

/** Whether two driver fingerprints differ in anything but their update time. */
export function driversChanged(a: Record<string, DriverInfo>, b: Record<string, DriverInfo>): boolean {
  const strip = (m: Record<string, DriverInfo>): string =>
    JSON.stringify(
      Object.keys(m)
        .sort()
        .map((k) => {
          const { UpdateTime: _t, ...rest } = m[k] as DriverInfo;
          return [k, rest];
        }),
    );
  return strip(a) !== strip(b);
}
