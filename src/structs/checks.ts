// Results of Nomad-provider service checks (Nomad's structs/checks.go): what a client records per
// check of an allocation and serves at /v1/client/allocation/:id/checks, the check's mode, and the
// deterministic check ID that ties a result to its check across the checks hook and check_restart.
import { createHash, type Hash } from 'node:crypto';
import type { ServiceCheck } from './services.js';

/** success, failure, or pending (not run yet). There are no warnings in Nomad checks. */
export type CheckStatus = 'success' | 'failure' | 'pending';

/** readiness when the check's on_update is "ignore" (deployments go on regardless), else healthiness. */
export type CheckMode = 'healthiness' | 'readiness';

/** One execution of a check (Nomad's CheckQueryResult), in its JSON field order. */
export interface CheckQueryResult {
  ID: string;
  Mode: CheckMode;
  Status: CheckStatus;
  /** The HTTP status of an http check; left out when 0. */
  StatusCode?: number;
  Output: string;
  /** Unix seconds. */
  Timestamp: number;
  /** The allocation's name ("job.group[0]"), as Nomad fills it. */
  Group: string;
  /** The check's task; left out for group services without one. */
  Task?: string;
  Service: string;
  Check: string;
}

/** What GET /v1/client/allocation/:id/checks answers: check ID → latest result. */
export type AllocCheckStatuses = Record<string, CheckQueryResult>;

export function checkMode(c: Pick<ServiceCheck, 'OnUpdate'>): CheckMode {
  return c.OnUpdate === 'ignore' ? 'readiness' : 'healthiness';
}

/** A check restarts its task only with a check_restart whose limit is positive. */
export function triggersRestarts(c: Pick<ServiceCheck, 'CheckRestart'>): boolean {
  return c.CheckRestart !== null && c.CheckRestart.Limit > 0;
}

/** time.Duration written as Go's binary.Write does: 8 bytes, little endian. */
function hashDuration(h: Hash, ns: number): void {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(Math.trunc(ns)));
  h.update(b);
}

/** Nomad's NomadCheckID: sha256 over the allocation, its group and the check's identifying fields, hex. */
export function nomadCheckID(allocID: string, group: string, c: ServiceCheck): string {
  const h = createHash('sha256');
  for (const s of [allocID, group, c.TaskName, c.Name, c.Type, c.PortLabel, c.OnUpdate, c.AddressMode]) h.update(s);
  hashDuration(h, c.Interval);
  hashDuration(h, c.Timeout);
  for (const s of [c.Protocol, c.Path, c.Method, String(c.TLSSkipVerify)]) h.update(s);
  return h.digest('hex');
}
