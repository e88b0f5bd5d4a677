// Canonicalization of a task and what hangs under tasks and groups: resources, networks and ports,
// services and checks, templates, artifacts, logs, volume mounts, identities. Each function applies,
// in order, what Nomad does to the same data: api Canonicalize (client side), the api → structs
// conversion of the HTTP layer (command/agent/job_endpoint.go), and structs Canonicalize (server).
// Every function is total and idempotent on its own output.
import path from 'node:path';
import type {
  Affinity,
  CheckRestart,
  NetworkResource,
  OpaqueBlock,
  Port,
  RequestedDevice,
  Resources,
  RestartPolicy,
  ScalingPolicy,
  Service,
  ServiceCheck,
  Task,
  TaskArtifact,
  Template,
  VolumeMount,
} from '../structs/index.js';
import { SECOND } from '../structs/duration.js';
import type { Api, ApiCheck, ApiService, ApiTask } from './api-types.js';
import { fill, isSet, listOrNull, mapOrNull } from './canonical-util.js';

/** What a task's canonicalization needs from its job and group. */
export interface TaskScope {
  jobID: string;
  jobName: string;
  namespace: string;
  groupName: string;
  groupRestart: RestartPolicy;
}

export function canonicalAffinity(a: Api<Affinity>): Affinity {
  return { LTarget: a.LTarget ?? '', RTarget: a.RTarget ?? '', Operand: a.Operand ?? '', Weight: a.Weight ?? 50 };
}

export function canonicalAffinities(list: Api<Affinity>[] | null | undefined): Affinity[] | null {
  return listOrNull(list?.map(canonicalAffinity));
}

function canonicalPort(p: Api<Port>): Port {
  return { Label: p.Label ?? '', Value: p.Value ?? 0, To: p.To ?? 0, HostNetwork: p.HostNetwork || 'default', IgnoreCollision: p.IgnoreCollision ?? false };
}

export function canonicalNetworks(list: Api<NetworkResource>[] | null | undefined): NetworkResource[] | null {
  return listOrNull(
    list?.map((n) => {
      const out: NetworkResource = {
        Mode: n.Mode ?? '',
        Device: n.Device ?? '',
        CIDR: n.CIDR ?? '',
        IP: n.IP ?? '',
        Hostname: n.Hostname ?? '',
        MBits: n.MBits ?? 0,
        DNS: isSet(n.DNS) ? { Servers: n.DNS.Servers ?? null, Searches: n.DNS.Searches ?? null, Options: n.DNS.Options ?? null } : null,
        ReservedPorts: listOrNull(n.ReservedPorts?.map(canonicalPort)),
        DynamicPorts: listOrNull(n.DynamicPorts?.map(canonicalPort)),
      };
      if (isSet(n.CNI)) out.CNI = { Args: n.CNI.Args ?? null };
      return out;
    }),
  );
}

function canonicalResources(r: (Api<Resources> & { NUMA?: unknown }) | null | undefined): Resources {
  const src = r ?? {};
  let cores = src.Cores;
  let cpu = src.CPU;
  if (!isSet(cores)) {
    cores = 0;
    cpu ??= 100;
  }
  const devices = listOrNull(
    src.Devices?.map(
      (d): RequestedDevice => ({
        Name: d.Name ?? '',
        Count: d.Count ?? 1,
        Constraints: listOrNull(d.Constraints?.map((c) => ({ LTarget: c.LTarget ?? '', RTarget: c.RTarget ?? '', Operand: c.Operand ?? '' }))),
        Affinities: canonicalAffinities(d.Affinities),
      }),
    ),
  );
  const out: Resources = {
    CPU: cpu ?? 0,
    Cores: cores,
    MemoryMB: src.MemoryMB ?? 300,
    MemoryMaxMB: src.MemoryMaxMB ?? 0,
    // The HTTP layer does not carry the deprecated task-level disk over (ApiResourcesToStructs).
    DiskMB: 0,
    IOPS: src.IOPS ?? 0,
    Networks: canonicalNetworks(src.Networks),
    Devices: devices,
    SecretsMB: src.SecretsMB ?? 0,
  };
  if (isSet(src.NUMA)) Object.assign(out, { NUMA: src.NUMA });
  return out;
}

/** Nomad's args.ReplaceEnv for service names: ${JOB}, ${TASKGROUP}, ${TASK} and ${BASE}. */
function interpolateServiceName(name: string, scope: TaskScope, task: string): string {
  const env: Record<string, string> = { JOB: scope.jobName, TASKGROUP: scope.groupName, TASK: task, BASE: `${scope.jobName}-${scope.groupName}-${task}` };
  return name.replace(/\$\{([^}]+)\}/g, (m, k: string) => env[k] ?? m);
}

function canonicalCheckRestart(service: Api<CheckRestart> | null | undefined, check: Api<CheckRestart> | null | undefined): CheckRestart | null {
  // api CheckRestart.Merge: the check's limit/grace/ignore_warnings override the service's.
  let merged: Api<CheckRestart> | null = null;
  if (isSet(service)) {
    merged = { ...service };
    if (isSet(check)) {
      if ((check.Limit ?? 0) > 0) merged.Limit = check.Limit ?? 0;
      if (isSet(check.Grace)) merged.Grace = check.Grace;
      if (check.IgnoreWarnings === true) merged.IgnoreWarnings = true;
    }
  } else if (isSet(check)) merged = check;
  if (merged === null) return null;
  return { Limit: merged.Limit ?? 0, Grace: merged.Grace ?? SECOND, IgnoreWarnings: merged.IgnoreWarnings ?? false };
}

function canonicalCheck(c: ApiCheck, s: ApiService, serviceName: string, serviceTask: string, onUpdate: string, group: boolean): ServiceCheck {
  const header = mapOrNull(c.Header);
  if (header !== null) for (const k of Object.keys(header)) if ((header[k] ?? []).length === 0) header[k] = null as unknown as string[];
  const taskName = group ? (c.TaskName ?? '') : '';
  return {
    Name: c.Name || `service: ${JSON.stringify(serviceName)} check`,
    Type: c.Type ?? '',
    Command: c.Command ?? '',
    Args: listOrNull(c.Args),
    Path: c.Path ?? '',
    Protocol: c.Protocol ?? '',
    PortLabel: c.PortLabel ?? '',
    Expose: c.Expose ?? false,
    AddressMode: c.AddressMode ?? '',
    Advertise: c.Advertise ?? '',
    Interval: c.Interval ?? 0,
    Timeout: c.Timeout ?? 0,
    InitialStatus: c.InitialStatus ?? '',
    TLSServerName: c.TLSServerName ?? '',
    TLSSkipVerify: c.TLSSkipVerify ?? false,
    Method: c.Method ?? '',
    Header: header,
    CheckRestart: canonicalCheckRestart(s.CheckRestart, c.CheckRestart),
    GRPCService: c.GRPCService ?? '',
    GRPCUseTLS: c.GRPCUseTLS ?? false,
    TaskName: taskName === '' ? serviceTask : taskName,
    SuccessBeforePassing: Math.max(0, c.SuccessBeforePassing ?? 0),
    FailuresBeforeCritical: Math.max(0, c.FailuresBeforeCritical ?? 0),
    FailuresBeforeWarning: Math.max(0, c.FailuresBeforeWarning ?? 0),
    Body: c.Body ?? '',
    OnUpdate: c.OnUpdate || onUpdate,
    Notes: c.Notes ?? '',
  };
}

/** A group (task undefined) or task service. */
export function canonicalService(s: ApiService, scope: TaskScope, task: string | undefined): Service {
  const defaultName = task === undefined ? `${scope.jobName}-${scope.groupName}` : `${scope.jobName}-${scope.groupName}-${task}`;
  const taskName = s.TaskName || (task ?? '');
  const name = interpolateServiceName(s.Name || defaultName, scope, task ?? 'group');
  const onUpdate = s.OnUpdate || 'require_healthy';
  const provider = s.Provider || 'consul';
  let namespace = s.Namespace ?? '';
  if (namespace === '' && provider === 'consul') namespace = 'default';
  else if (provider === 'nomad') namespace = scope.namespace;
  return {
    Name: name,
    TaskName: taskName,
    PortLabel: s.PortLabel ?? '',
    AddressMode: s.AddressMode || 'auto',
    Address: s.Address ?? '',
    EnableTagOverride: s.EnableTagOverride ?? false,
    Tags: listOrNull(s.Tags),
    CanaryTags: listOrNull(s.CanaryTags),
    Checks: listOrNull(s.Checks?.map((c) => canonicalCheck(c, s, name, taskName, onUpdate, task === undefined))),
    Connect: s.Connect ?? null,
    Meta: mapOrNull(s.Meta),
    CanaryMeta: mapOrNull(s.CanaryMeta),
    TaggedAddresses: mapOrNull(s.TaggedAddresses),
    Namespace: namespace,
    OnUpdate: onUpdate,
    Provider: provider,
    Cluster: s.Cluster || 'default',
    Identity: s.Identity ?? null,
  };
}

function canonicalTemplate(t: Api<Template>): Template {
  const mode = t.ChangeMode ?? 'restart';
  const signal = isSet(t.ChangeSignal) ? t.ChangeSignal.toUpperCase() : mode === 'signal' ? 'SIGHUP' : '';
  const script = t.ChangeScript;
  return {
    SourcePath: t.SourcePath ?? '',
    DestPath: t.DestPath ?? '',
    EmbeddedTmpl: t.EmbeddedTmpl ?? '',
    ChangeMode: mode,
    ChangeSignal: signal,
    ChangeScript: isSet(script) ? { Command: script.Command ?? '', Args: script.Args ?? [], Timeout: script.Timeout ?? 5 * SECOND, FailOnError: script.FailOnError ?? false } : null,
    Splay: t.Splay ?? 5 * SECOND,
    Perms: t.Perms ?? '0644',
    Uid: t.Uid ?? null,
    Gid: t.Gid ?? null,
    LeftDelim: t.LeftDelim ?? '{{',
    RightDelim: t.RightDelim ?? '}}',
    Envvars: t.Envvars ?? false,
    VaultGrace: t.VaultGrace ?? 0,
    Wait: isSet(t.Wait) ? { Min: t.Wait.Min ?? null, Max: t.Wait.Max ?? null } : null,
    ErrMissingKey: t.ErrMissingKey ?? false,
    Once: t.Once ?? false,
  };
}

function canonicalArtifact(a: Api<TaskArtifact>): TaskArtifact {
  const mode = a.GetterMode ?? 'any';
  const source = a.GetterSource ?? '';
  let dest = a.RelativeDest;
  if (!isSet(dest)) dest = mode === 'file' ? path.posix.join('local', path.posix.basename(source) || '.') : 'local/';
  return {
    GetterSource: source,
    GetterOptions: mapOrNull(a.GetterOptions),
    GetterHeaders: mapOrNull(a.GetterHeaders),
    GetterMode: mode,
    GetterInsecure: a.GetterInsecure ?? false,
    RelativeDest: dest,
    Chown: a.Chown ?? false,
  };
}

function canonicalVolumeMounts(list: Api<VolumeMount>[] | null | undefined): VolumeMount[] | null {
  const out: VolumeMount[] = [];
  for (const m of list ?? []) {
    if (!isSet(m.Volume)) continue; // dropped by the HTTP layer, as Nomad does
    out.push({ Volume: m.Volume, Destination: m.Destination ?? '', ReadOnly: m.ReadOnly ?? false, PropagationMode: m.PropagationMode ?? 'private', SELinuxLabel: m.SELinuxLabel ?? '' });
  }
  return listOrNull(out);
}

/** A workload identity in Nomad's struct shape; the default identity's audience is always Nomad's. */
function canonicalIdentity(v: unknown): OpaqueBlock {
  const src = (v ?? {}) as Record<string, unknown>;
  const name = typeof src['Name'] === 'string' && src['Name'] !== '' ? src['Name'] : 'default';
  const signal = typeof src['ChangeSignal'] === 'string' ? src['ChangeSignal'].toUpperCase() : '';
  return {
    Name: name,
    Audience: name === 'default' ? ['nomadproject.io'] : (src['Audience'] ?? null),
    ChangeMode: src['ChangeMode'] ?? '',
    ChangeSignal: signal,
    Env: src['Env'] ?? false,
    File: src['File'] ?? false,
    Filepath: src['Filepath'] ?? '',
    ServiceName: src['ServiceName'] ?? '',
    TTL: src['TTL'] ?? 0,
    ExtraClaims: src['ExtraClaims'] ?? null,
  };
}

/** A scaling policy as the server stores it: Target names the job, group and task it scales. */
export function canonicalScaling(p: Api<ScalingPolicy>, scope: TaskScope, count: number, task?: string): ScalingPolicy {
  const target: Record<string, string> = { Namespace: scope.namespace, Job: scope.jobID, Group: scope.groupName };
  if (task !== undefined) target['Task'] = task;
  return { ID: p.ID ?? '', Type: p.Type || 'horizontal', Target: target, Min: p.Min ?? count, Max: p.Max ?? -1, Policy: p.Policy ?? null, Enabled: p.Enabled ?? true };
}

function canonicalVault(v: unknown): OpaqueBlock | null {
  if (!isSet(v)) return null;
  const src = v as Record<string, unknown>;
  return {
    Role: src['Role'] ?? '',
    Namespace: src['Namespace'] ?? '',
    Cluster: src['Cluster'] || 'default',
    Env: src['Env'] ?? true,
    DisableFile: src['DisableFile'] ?? false,
    ChangeMode: src['ChangeMode'] ?? 'restart',
    ChangeSignal: src['ChangeSignal'] ?? 'SIGHUP',
    AllowTokenExpiration: src['AllowTokenExpiration'] ?? false,
  };
}

export function canonicalConsul(v: unknown): OpaqueBlock | null {
  if (!isSet(v)) return null;
  const src = v as Record<string, unknown>;
  return { Namespace: src['Namespace'] ?? '', Cluster: src['Cluster'] || 'default', Partition: src['Partition'] ?? '' };
}

export function canonicalTask(t: ApiTask, scope: TaskScope): Task {
  const name = t.Name ?? '';
  const restart: RestartPolicy = fill(t.RestartPolicy, scope.groupRestart);
  const identities = (t.Identities ?? []).map(canonicalIdentity);
  let identity: OpaqueBlock | null = isSet(t.Identity) ? canonicalIdentity(t.Identity) : null;
  const defaultIdx = identities.findIndex((i) => i['Name'] === 'default');
  if (defaultIdx >= 0) identity = identities.splice(defaultIdx, 1)[0] ?? identity;
  identity ??= canonicalIdentity({ Name: 'default' });
  const killTimeout = t.KillTimeout ?? 0;
  const out: Task = {
    Name: name,
    Driver: t.Driver ?? '',
    User: t.User ?? '',
    Config: mapOrNull(t.Config),
    Env: mapOrNull(t.Env),
    Services: listOrNull(t.Services?.map((s) => canonicalService(s, scope, name))),
    Vault: canonicalVault(t.Vault),
    Consul: canonicalConsul(t.Consul),
    Templates: listOrNull(t.Templates?.map(canonicalTemplate)),
    Constraints: listOrNull(t.Constraints?.map((c) => ({ LTarget: c.LTarget ?? '', RTarget: c.RTarget ?? '', Operand: c.Operand ?? '' }))),
    Affinities: canonicalAffinities(t.Affinities),
    Resources: canonicalResources(t.Resources),
    RestartPolicy: restart,
    DispatchPayload: isSet(t.DispatchPayload) ? { File: t.DispatchPayload.File ?? '' } : null,
    Lifecycle: isSet(t.Lifecycle) ? { Hook: t.Lifecycle.Hook ?? '', Sidecar: t.Lifecycle.Sidecar ?? false } : null,
    Meta: mapOrNull(t.Meta),
    KillTimeout: killTimeout === 0 ? 5 * SECOND : killTimeout,
    LogConfig: fill(t.LogConfig, { MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false }),
    Artifacts: listOrNull(t.Artifacts?.map(canonicalArtifact)),
    Leader: t.Leader ?? false,
    ShutdownDelay: t.ShutdownDelay ?? 0,
    VolumeMounts: canonicalVolumeMounts(t.VolumeMounts),
    ScalingPolicies: listOrNull(t.ScalingPolicies?.map((p) => canonicalScaling(p, scope, 0, name))),
    KillSignal: t.KillSignal ?? '',
    Kind: t.Kind ?? '',
    CSIPluginConfig: t.CSIPluginConfig ?? null,
    Identity: identity,
    Identities: listOrNull(identities),
    Actions: listOrNull(t.Actions),
  };
  if (isSet(t.Secrets) && t.Secrets.length > 0) Object.assign(out, { Secrets: t.Secrets });
  if (isSet(t.Schedule)) Object.assign(out, { Schedule: t.Schedule });
  return out;
}
