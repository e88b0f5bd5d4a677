// canonicalizeJob: an API job (from HCL, -json, or an HTTP body) → the canonical Job the server
// stores and `GET /v1/job/:id` returns, with Nomad's defaults applied exactly: api Canonicalize,
// the HTTP layer's api → structs conversion, structs Canonicalize, and the node pool hook. It is
// idempotent (the server may call it on JSON that is already canonical) and never throws on
// well-typed input; judging the result is validateJob's job.
import type { Constraint, Job, MigrateStrategy, ReschedulePolicy, RestartPolicy, Spread, TaskGroup, UpdateStrategy, VolumeRequest } from '../structs/index.js';
import { HOUR, MINUTE, SECOND } from '../structs/duration.js';
import type { Api, ApiJob, ApiTaskGroup, ApiUpdate } from './api-types.js';
import { fill, isSet, listOrNull, mapOrNull, mergeSet } from './canonical-util.js';
import { canonicalAffinities, canonicalConsul, canonicalNetworks, canonicalScaling, canonicalService, canonicalTask, type TaskScope } from './canonicalize-task.js';

const DEFAULT_UPDATE: UpdateStrategy = {
  Stagger: 30 * SECOND,
  MaxParallel: 1,
  HealthCheck: 'checks',
  MinHealthyTime: 10 * SECOND,
  HealthyDeadline: 5 * MINUTE,
  ProgressDeadline: 10 * MINUTE,
  AutoRevert: false,
  AutoPromote: false,
  Canary: 0,
};

const ZERO_UPDATE: UpdateStrategy = { Stagger: 0, MaxParallel: 0, HealthCheck: '', MinHealthyTime: 0, HealthyDeadline: 0, ProgressDeadline: 0, AutoRevert: false, AutoPromote: false, Canary: 0 };

const DEFAULT_MIGRATE: MigrateStrategy = { MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 10 * SECOND, HealthyDeadline: 5 * MINUTE };

/** api NewDefaultReschedulePolicy: service and batch defaults; zeros for anything else. */
function defaultReschedule(type: string): ReschedulePolicy {
  if (type === 'service') return { Attempts: 0, Interval: 0, Delay: 30 * SECOND, DelayFunction: 'exponential', MaxDelay: HOUR, Unlimited: true };
  if (type === 'batch') return { Attempts: 1, Interval: 24 * HOUR, Delay: 5 * SECOND, DelayFunction: 'constant', MaxDelay: 0, Unlimited: false };
  return { Attempts: 0, Interval: 0, Delay: 0, DelayFunction: '', MaxDelay: 0, Unlimited: false };
}

function defaultRestart(type: string): RestartPolicy {
  return type === 'service' || type === 'system'
    ? { Attempts: 2, Interval: 30 * MINUTE, Delay: 15 * SECOND, Mode: 'fail', RenderTemplates: false }
    : { Attempts: 3, Interval: 24 * HOUR, Delay: 15 * SECOND, Mode: 'fail', RenderTemplates: false };
}

/** api UpdateStrategy.Empty: nothing set to a non-zero value. */
function updateEmpty(u: ApiUpdate): boolean {
  return !u.Stagger && !u.MaxParallel && !u.HealthCheck && !u.MinHealthyTime && !u.HealthyDeadline && !u.ProgressDeadline && !u.AutoRevert && !u.AutoPromote && !u.Canary;
}

function canonicalSpreads(list: Api<Spread>[] | null | undefined): Spread[] | null {
  return listOrNull(list?.map((s) => ({ Attribute: s.Attribute ?? '', Weight: s.Weight ?? 50, SpreadTarget: listOrNull(s.SpreadTarget?.map((t) => ({ Value: t.Value ?? '', Percent: t.Percent ?? 0 }))) })));
}

function canonicalConstraints(list: Api<Constraint>[] | null | undefined): Constraint[] | null {
  return listOrNull(list?.map((c) => ({ LTarget: c.LTarget ?? '', RTarget: c.RTarget ?? '', Operand: c.Operand ?? '' })));
}

function canonicalVolumes(v: Record<string, Api<VolumeRequest>> | null | undefined): Record<string, VolumeRequest> | null {
  const out: Record<string, VolumeRequest> = {};
  for (const [k, x] of Object.entries(v ?? {})) {
    if (x.Type !== 'host' && x.Type !== 'csi') continue; // the HTTP layer drops other types
    out[k] = {
      Name: x.Name ?? '',
      Type: x.Type,
      Source: x.Source ?? '',
      ReadOnly: x.ReadOnly ?? false,
      Sticky: x.Sticky ?? false,
      AccessMode: x.AccessMode ?? '',
      AttachmentMode: x.AttachmentMode ?? '',
      MountOptions: isSet(x.MountOptions) ? { FSType: x.MountOptions.FSType ?? '', MountFlags: x.MountOptions.MountFlags ?? null } : null,
      PerAlloc: x.PerAlloc ?? false,
    };
  }
  return mapOrNull(out);
}

interface JobScope {
  job: ApiJob;
  type: string;
  id: string;
  name: string;
  namespace: string;
  update: ApiUpdate | undefined;
}

function canonicalGroup(g: ApiTaskGroup, js: JobScope): TaskGroup {
  const { job, type } = js;
  const name = g.Name ?? '';
  const count = g.Count ?? g.Scaling?.Min ?? 1;

  // Update: the job's block merged under the group's, or inherited when the job's is non-empty.
  let update: UpdateStrategy | null = null;
  if (js.update !== undefined && isSet(g.Update)) update = fill(mergeSet(js.update, g.Update), DEFAULT_UPDATE);
  else if (js.update !== undefined && !updateEmpty(js.update)) update = fill(js.update, DEFAULT_UPDATE);
  else if (isSet(g.Update)) update = fill(g.Update, DEFAULT_UPDATE);

  let reschedule: ReschedulePolicy | null = null;
  if (isSet(job.Reschedule) || isSet(g.ReschedulePolicy)) reschedule = fill(mergeSet(job.Reschedule ?? {}, g.ReschedulePolicy), defaultReschedule(type));
  else if (type !== 'system' && type !== 'sysbatch') reschedule = defaultReschedule(type);

  let migrate: MigrateStrategy | null = null;
  if (isSet(job.Migrate) || isSet(g.Migrate)) migrate = fill(mergeSet(job.Migrate ?? {}, g.Migrate), DEFAULT_MIGRATE);
  else if (type === 'service') migrate = { ...DEFAULT_MIGRATE };

  const restart = fill(g.RestartPolicy, defaultRestart(type));
  const scope: TaskScope = { jobID: js.id, jobName: js.name, namespace: js.namespace, groupName: name, groupRestart: restart };
  const disconnect = g.Disconnect;
  return {
    Name: name,
    Count: count,
    Update: update,
    Migrate: migrate,
    Constraints: canonicalConstraints(g.Constraints),
    Scaling: isSet(g.Scaling) ? canonicalScaling(g.Scaling, scope, count) : null,
    RestartPolicy: restart,
    Tasks: (g.Tasks ?? []).map((t) => canonicalTask(t, scope)),
    EphemeralDisk: fill(g.EphemeralDisk, { Sticky: false, SizeMB: 300, Migrate: false }),
    Meta: mapOrNull(g.Meta),
    ReschedulePolicy: reschedule,
    Affinities: canonicalAffinities(g.Affinities),
    Spreads: canonicalSpreads(g.Spreads),
    Networks: canonicalNetworks(g.Networks),
    Consul: canonicalConsul(g.Consul),
    Services: listOrNull(g.Services?.map((s) => canonicalService(s, scope, undefined))),
    Volumes: canonicalVolumes(g.Volumes),
    ShutdownDelay: g.ShutdownDelay ?? null,
    StopAfterClientDisconnect: g.StopAfterClientDisconnect ?? null,
    MaxClientDisconnect: g.MaxClientDisconnect ?? null,
    PreventRescheduleOnLost: g.PreventRescheduleOnLost ?? false,
    Disconnect: isSet(disconnect)
      ? { LostAfter: disconnect.LostAfter ?? 0, Replace: disconnect.Replace ?? true, Reconcile: disconnect.Reconcile || 'best_score', StopOnClientAfter: disconnect.StopOnClientAfter ?? null }
      : null,
    MaxRunDuration: g.MaxRunDuration ?? null,
  };
}

function canonicalMultiregion(m: unknown): Job['Multiregion'] {
  if (!isSet(m)) return null;
  const src = m as Record<string, unknown>;
  const strategy = (src['Strategy'] ?? {}) as Record<string, unknown>;
  const regions = Array.isArray(src['Regions']) ? (src['Regions'] as Record<string, unknown>[]) : [];
  return {
    Strategy: { MaxParallel: strategy['MaxParallel'] ?? 0, OnFailure: strategy['OnFailure'] ?? '' },
    Regions: regions.map((r) => ({ Name: r['Name'] ?? '', Count: r['Count'] ?? 1, Datacenters: r['Datacenters'] ?? [], NodePool: r['NodePool'] ?? '', Meta: r['Meta'] ?? {} })),
  };
}

export function canonicalizeJob(job: ApiJob): Job {
  const type = job.Type ?? 'service';
  const id = job.ID ?? '';
  const name = job.Name ?? id;
  const namespace = job.Namespace || 'default';
  let update: ApiUpdate | undefined;
  if (isSet(job.Update)) update = fill(job.Update, DEFAULT_UPDATE);
  else if (type === 'service' || type === 'system') update = { ...DEFAULT_UPDATE };
  const js: JobScope = { job, type, id, name, namespace, update };
  const p = job.Periodic;
  const param = job.ParameterizedJob;
  const datacenters = job.Datacenters ?? [];
  return {
    Stop: job.Stop ?? false,
    Region: job.Region ?? 'global',
    Namespace: namespace,
    ID: id,
    ParentID: job.ParentID ?? '',
    Name: name,
    Type: type,
    Priority: job.Priority ?? 50,
    AllAtOnce: job.AllAtOnce ?? false,
    Datacenters: datacenters.length === 0 ? ['*'] : [...datacenters],
    // jobNodePoolMutatingHook: a job without a node pool runs in "default".
    NodePool: job.NodePool || 'default',
    Constraints: canonicalConstraints(job.Constraints),
    Affinities: canonicalAffinities(job.Affinities),
    Spreads: canonicalSpreads(job.Spreads),
    TaskGroups: (job.TaskGroups ?? []).map((g) => canonicalGroup(g, js)),
    // Only stagger and max_parallel live at job level once converted (ApiJobToStructJob).
    Update: update !== undefined && (update.MaxParallel ?? 0) > 0 ? { ...ZERO_UPDATE, Stagger: update.Stagger ?? 0, MaxParallel: update.MaxParallel ?? 0 } : { ...ZERO_UPDATE },
    Multiregion: canonicalMultiregion(job.Multiregion),
    Periodic: isSet(p)
      ? {
          Enabled: p.Enabled ?? true,
          Spec: p.Spec ?? '',
          Specs: p.Specs ?? [],
          SpecType: p.SpecType ?? 'cron',
          ProhibitOverlap: p.ProhibitOverlap ?? false,
          TimeZone: p.TimeZone || 'UTC',
        }
      : null,
    ParameterizedJob: isSet(param) ? { Payload: param.Payload || 'optional', MetaRequired: param.MetaRequired ?? null, MetaOptional: param.MetaOptional ?? null } : null,
    Dispatched: job.Dispatched ?? false,
    DispatchIdempotencyToken: job.DispatchIdempotencyToken ?? '',
    Payload: job.Payload ?? null,
    Meta: mapOrNull(job.Meta),
    ConsulNamespace: job.ConsulNamespace ?? '',
    VaultNamespace: job.VaultNamespace ?? '',
    NomadTokenID: job.NomadTokenID ?? '',
    Status: job.Status ?? '',
    StatusDescription: job.StatusDescription ?? '',
    Stable: job.Stable ?? false,
    Version: job.Version ?? 0,
    SubmitTime: job.SubmitTime ?? 0,
    CreateIndex: job.CreateIndex ?? 0,
    ModifyIndex: job.ModifyIndex ?? 0,
    JobModifyIndex: job.JobModifyIndex ?? 0,
    UI: job.UI ?? null,
    VersionTag: job.VersionTag ?? null,
  };
}
