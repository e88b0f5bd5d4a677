// The job tree — Job → TaskGroup → Task and every block under them — in Nomad's JSON shape:
// PascalCase fields, durations as int64 nanoseconds, nil pointers as null. These are the
// canonical (defaults applied) forms the server stores and returns; src/jobspec builds them.
import type { Affinity, Constraint, Spread } from './constraints.js';
import type { Nanos } from './duration.js';
import type { NetworkResource, Resources } from './resources.js';
import type { Service } from './services.js';
import type { JobSummary } from './job-summary.js';
import type { UnixNanos } from './time.js';

export const JOB_TYPES = ['service', 'batch', 'system', 'sysbatch'] as const;
export type JobType = (typeof JOB_TYPES)[number];
export const JOB_STATUSES = ['pending', 'running', 'dead'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_DEFAULT_PRIORITY = 50;
export const JOB_MAX_PRIORITY = 100;
export const JOB_MAX_COUNT = 50000;
export const JOB_TRACKED_VERSIONS = 6;
export const DISPATCH_PAYLOAD_SIZE_LIMIT = 16 * 1024;

export interface UpdateStrategy {
  Stagger: Nanos;
  MaxParallel: number;
  HealthCheck: string; // checks | task_states | manual
  MinHealthyTime: Nanos;
  HealthyDeadline: Nanos;
  ProgressDeadline: Nanos;
  AutoRevert: boolean;
  AutoPromote: boolean;
  Canary: number;
}

export interface MigrateStrategy {
  MaxParallel: number;
  HealthCheck: string;
  MinHealthyTime: Nanos;
  HealthyDeadline: Nanos;
}

export const RESTART_MODES = ['fail', 'delay'] as const;
export type RestartMode = (typeof RESTART_MODES)[number];

export interface RestartPolicy {
  Attempts: number;
  Interval: Nanos;
  Delay: Nanos;
  Mode: string;
  RenderTemplates: boolean;
}

export const RESCHEDULE_DELAY_FUNCTIONS = ['constant', 'exponential', 'fibonacci'] as const;

export interface ReschedulePolicy {
  Attempts: number;
  Interval: Nanos;
  Delay: Nanos;
  DelayFunction: string;
  MaxDelay: Nanos;
  Unlimited: boolean;
}

export interface PeriodicConfig {
  Enabled: boolean;
  Spec: string;
  Specs: string[] | null;
  SpecType: string; // "cron"
  ProhibitOverlap: boolean;
  TimeZone: string;
}

export const DISPATCH_PAYLOAD_MODES = ['optional', 'required', 'forbidden'] as const;

export interface ParameterizedJobConfig {
  Payload: string;
  MetaRequired: string[] | null;
  MetaOptional: string[] | null;
}

export interface EphemeralDisk {
  Sticky: boolean;
  SizeMB: number;
  Migrate: boolean;
}

export interface LogConfig {
  MaxFiles: number;
  MaxFileSizeMB: number;
  Disabled: boolean;
}

export interface TaskArtifact {
  GetterSource: string;
  GetterOptions: Record<string, string> | null;
  GetterHeaders: Record<string, string> | null;
  GetterMode: string; // any | file | dir
  GetterInsecure: boolean;
  RelativeDest: string;
  Chown: boolean;
}

export interface ChangeScript {
  Command: string;
  Args: string[] | null;
  Timeout: Nanos;
  FailOnError: boolean;
}

export interface WaitConfig {
  Min: Nanos | null;
  Max: Nanos | null;
}

export interface Template {
  SourcePath: string;
  DestPath: string;
  EmbeddedTmpl: string;
  ChangeMode: string; // restart | noop | signal | script
  ChangeSignal: string;
  ChangeScript: ChangeScript | null;
  Splay: Nanos;
  Perms: string;
  Uid: number | null;
  Gid: number | null;
  LeftDelim: string;
  RightDelim: string;
  Envvars: boolean;
  VaultGrace: Nanos;
  Wait: WaitConfig | null;
  ErrMissingKey: boolean;
  Once: boolean;
}

export const LIFECYCLE_HOOKS = ['prestart', 'poststart', 'poststop'] as const;

export interface TaskLifecycleConfig {
  Hook: string;
  Sidecar: boolean;
}

export interface DispatchPayloadConfig {
  File: string;
}

export interface VolumeMount {
  Volume: string;
  Destination: string;
  ReadOnly: boolean;
  PropagationMode: string;
  SELinuxLabel: string;
}

export interface VolumeRequest {
  Name: string;
  Type: string; // host | csi
  Source: string;
  ReadOnly: boolean;
  Sticky: boolean;
  AccessMode: string;
  AttachmentMode: string;
  MountOptions: { FSType: string; MountFlags: string[] | null } | null;
  PerAlloc: boolean;
}

export interface ScalingPolicy {
  ID: string;
  Type: string;
  Target: Record<string, string> | null;
  Min: number;
  Max: number;
  Policy: Record<string, unknown> | null;
  Enabled: boolean;
}

export interface DisconnectStrategy {
  LostAfter: Nanos;
  Replace: boolean | null;
  Reconcile: string;
  StopOnClientAfter: Nanos | null;
}

/** Blocks Roam stores faithfully but does not act on yet (vault, consul, identity, csi_plugin…). */
export type OpaqueBlock = Record<string, unknown>;

export interface Task {
  Name: string;
  Driver: string;
  User: string;
  /** The driver's free-form `config` block (nested blocks become lists of maps, as in Nomad). */
  Config: Record<string, unknown> | null;
  Env: Record<string, string> | null;
  Services: Service[] | null;
  Vault: OpaqueBlock | null;
  Consul: OpaqueBlock | null;
  Templates: Template[] | null;
  Constraints: Constraint[] | null;
  Affinities: Affinity[] | null;
  Resources: Resources;
  RestartPolicy: RestartPolicy | null;
  DispatchPayload: DispatchPayloadConfig | null;
  Lifecycle: TaskLifecycleConfig | null;
  Meta: Record<string, string> | null;
  KillTimeout: Nanos;
  LogConfig: LogConfig;
  Artifacts: TaskArtifact[] | null;
  Leader: boolean;
  ShutdownDelay: Nanos;
  VolumeMounts: VolumeMount[] | null;
  ScalingPolicies: ScalingPolicy[] | null;
  KillSignal: string;
  Kind: string;
  CSIPluginConfig: OpaqueBlock | null;
  Identity: OpaqueBlock | null;
  Identities: OpaqueBlock[] | null;
  Actions: OpaqueBlock[] | null;
}

export interface TaskGroup {
  Name: string;
  Count: number;
  Update: UpdateStrategy | null;
  Migrate: MigrateStrategy | null;
  Constraints: Constraint[] | null;
  Scaling: ScalingPolicy | null;
  RestartPolicy: RestartPolicy;
  Tasks: Task[];
  EphemeralDisk: EphemeralDisk;
  Meta: Record<string, string> | null;
  ReschedulePolicy: ReschedulePolicy | null;
  Affinities: Affinity[] | null;
  Spreads: Spread[] | null;
  Networks: NetworkResource[] | null;
  Consul: OpaqueBlock | null;
  Services: Service[] | null;
  Volumes: Record<string, VolumeRequest> | null;
  ShutdownDelay: Nanos | null;
  StopAfterClientDisconnect: Nanos | null;
  MaxClientDisconnect: Nanos | null;
  PreventRescheduleOnLost: boolean;
  Disconnect: DisconnectStrategy | null;
  MaxRunDuration?: Nanos | null;
}

export interface Job {
  Stop: boolean;
  Region: string;
  Namespace: string;
  ID: string;
  ParentID: string;
  Name: string;
  Type: string;
  Priority: number;
  AllAtOnce: boolean;
  Datacenters: string[];
  NodePool: string;
  Constraints: Constraint[] | null;
  Affinities: Affinity[] | null;
  Spreads: Spread[] | null;
  TaskGroups: TaskGroup[];
  Update: UpdateStrategy;
  Multiregion: OpaqueBlock | null;
  Periodic: PeriodicConfig | null;
  ParameterizedJob: ParameterizedJobConfig | null;
  Dispatched: boolean;
  DispatchIdempotencyToken: string;
  /** Base64 in JSON, as Go marshals []byte. */
  Payload: string | null;
  Meta: Record<string, string> | null;
  ConsulNamespace: string;
  VaultNamespace: string;
  NomadTokenID: string;
  Status: string;
  StatusDescription: string;
  Stable: boolean;
  Version: number;
  SubmitTime: UnixNanos;
  CreateIndex: number;
  ModifyIndex: number;
  JobModifyIndex: number;
  UI?: OpaqueBlock | null;
  VersionTag?: OpaqueBlock | null;
}

export function isPeriodic(job: Pick<Job, 'Periodic'>): boolean {
  return job.Periodic !== null && job.Periodic.Enabled;
}

export function isParameterized(job: Pick<Job, 'ParameterizedJob' | 'Dispatched'>): boolean {
  return job.ParameterizedJob !== null && !job.Dispatched;
}

/** The job type as `nomad job status` lists it: "batch/periodic", "batch/parameterized", "service". */
export function jobTypeLabel(job: Pick<Job, 'Type' | 'Periodic' | 'ParameterizedJob' | 'Dispatched'>): string {
  if (isPeriodic(job)) return `${job.Type}/periodic`;
  if (isParameterized(job)) return `${job.Type}/parameterized`;
  return job.Type;
}

/** The name of an allocation: `<job>.<group>[<index>]`. */
export function allocName(jobID: string, group: string, index: number): string {
  return `${jobID}.${group}[${index}]`;
}

/** The index in an allocation name, or -1 when the name has none. */
export function allocIndexFromName(name: string): number {
  const m = /\[(\d+)\]$/.exec(name);
  return m?.[1] === undefined ? -1 : Number(m[1]);
}

/** Job, group and task meta merged for a task, later levels winning (Nomad's CombinedTaskMeta). */
export function combinedTaskMeta(job: Job, group: TaskGroup, task: Task): Record<string, string> {
  return { ...(job.Meta ?? {}), ...(group.Meta ?? {}), ...(task.Meta ?? {}) };
}

export function lookupTaskGroup(job: Job, name: string): TaskGroup | undefined {
  return job.TaskGroups.find((g) => g.Name === name);
}

/** The list form of a job (`GET /v1/jobs`). */
export interface JobListStub {
  ID: string;
  ParentID: string;
  Name: string;
  Namespace: string;
  Datacenters: string[];
  NodePool: string;
  Multiregion: OpaqueBlock | null;
  Type: string;
  Priority: number;
  Periodic: boolean;
  ParameterizedJob: boolean;
  Stop: boolean;
  Status: string;
  StatusDescription: string;
  JobSummary: JobSummary | null;
  CreateIndex: number;
  ModifyIndex: number;
  JobModifyIndex: number;
  SubmitTime: UnixNanos;
  Meta: Record<string, string> | null;
}
