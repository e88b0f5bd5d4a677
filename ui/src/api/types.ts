// The parts of Nomad's /v1 JSON shapes the UI reads (PascalCase, nanosecond times). Only what the
// pages use is declared; everything else in a response is ignored.

export interface TaskGroupSummary {
  Queued: number;
  Complete: number;
  Failed: number;
  Running: number;
  Starting: number;
  Lost: number;
  Unknown: number;
}

export interface JobChildrenSummary {
  Pending: number;
  Running: number;
  Dead: number;
}

export interface JobSummary {
  JobID: string;
  Namespace: string;
  Summary: Record<string, TaskGroupSummary>;
  Children: JobChildrenSummary | null;
}

export interface JobListStub {
  ID: string;
  ParentID: string;
  Name: string;
  Namespace: string;
  Datacenters: string[] | null;
  NodePool: string;
  Type: string;
  Priority: number;
  Periodic: boolean;
  ParameterizedJob: boolean;
  Stop: boolean;
  Status: string;
  StatusDescription: string;
  JobSummary: JobSummary | null;
  SubmitTime: number;
  ModifyIndex: number;
  Meta: Record<string, string> | null;
}

export interface Resources {
  CPU?: number;
  Cores?: number;
  MemoryMB?: number;
  MemoryMaxMB?: number;
  DiskMB?: number;
}

export interface ServiceCheckSpec {
  Name: string;
  Type: string;
  Path: string;
  PortLabel: string;
  Interval: number;
  Timeout: number;
}

/** A service block of a group or task (the job's specification, not a registration). */
export interface ServiceSpec {
  Name: string;
  TaskName: string;
  PortLabel: string;
  Provider: string;
  Tags: string[] | null;
  Checks: ServiceCheckSpec[] | null;
}

export interface Task {
  Name: string;
  Driver: string;
  Config: Record<string, unknown> | null;
  Resources: Resources | null;
  Services?: ServiceSpec[] | null;
  Lifecycle?: { Hook: string; Sidecar: boolean } | null;
}

export interface TaskGroup {
  Name: string;
  Count: number;
  Tasks: Task[] | null;
  Services?: ServiceSpec[] | null;
  EphemeralDisk?: { SizeMB: number; Sticky: boolean; Migrate: boolean } | null;
  RestartPolicy?: { Attempts: number; Interval: number; Delay: number; Mode: string } | null;
  ReschedulePolicy?: { Attempts: number; Interval: number; Unlimited: boolean } | null;
  Meta?: Record<string, string> | null;
}

export interface PeriodicConfig {
  Enabled?: boolean;
  Spec?: string;
  Specs?: string[] | null;
  TimeZone?: string;
  ProhibitOverlap?: boolean;
}

export interface ParameterizedJobConfig {
  Payload?: string;
  MetaRequired?: string[] | null;
  MetaOptional?: string[] | null;
}

export interface Job {
  ID: string;
  ParentID: string;
  Name: string;
  Namespace: string;
  Type: string;
  Priority: number;
  Datacenters: string[] | null;
  NodePool: string;
  Status: string;
  StatusDescription: string;
  Stop: boolean;
  Version: number;
  Stable: boolean;
  SubmitTime: number;
  Periodic: PeriodicConfig | null;
  ParameterizedJob: ParameterizedJobConfig | null;
  Dispatched: boolean;
  Payload: string | null;
  Meta: Record<string, string> | null;
  TaskGroups: TaskGroup[] | null;
  JobModifyIndex: number;
  ModifyIndex: number;
  CreateIndex: number;
}

export interface TaskEvent {
  Type: string;
  Time: number;
  DisplayMessage: string;
  Message: string;
  Details: Record<string, string> | null;
  ExitCode: number;
  Signal: number;
  FailsTask: boolean;
}

export interface TaskState {
  State: string;
  Failed: boolean;
  Restarts: number;
  StartedAt: string | null;
  FinishedAt: string | null;
  Events: TaskEvent[] | null;
}

export interface AllocListStub {
  ID: string;
  EvalID: string;
  Name: string;
  Namespace: string;
  NodeID: string;
  NodeName: string;
  JobID: string;
  JobType: string;
  JobVersion: number;
  TaskGroup: string;
  DesiredStatus: string;
  DesiredDescription: string;
  ClientStatus: string;
  ClientDescription: string;
  TaskStates: Record<string, TaskState> | null;
  FollowupEvalID: string;
  NextAllocation: string;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  ModifyTime: number;
}

export interface Port {
  Label: string;
  Value: number;
  To: number;
  HostIP: string;
}

export interface AllocatedTaskResources {
  Cpu: { CpuShares: number };
  Memory: { MemoryMB: number; MemoryMaxMB?: number };
}

export interface AllocatedResources {
  Tasks: Record<string, AllocatedTaskResources> | null;
  Shared: { DiskMB: number; Ports: Port[] | null; Networks?: { IP: string; DynamicPorts: Port[] | null; ReservedPorts: Port[] | null }[] | null } | null;
}

export interface Allocation extends AllocListStub {
  Job: Job | null;
  AllocatedResources: AllocatedResources | null;
  Metrics: AllocMetric | null;
  PreviousAllocation: string;
}

export interface AllocMetric {
  NodesEvaluated: number;
  NodesFiltered: number;
  NodesInPool?: number;
  NodesAvailable: Record<string, number> | null;
  ClassFiltered: Record<string, number> | null;
  ConstraintFiltered: Record<string, number> | null;
  NodesExhausted: number;
  ClassExhausted: Record<string, number> | null;
  DimensionExhausted: Record<string, number> | null;
  QuotaExhausted: string[] | null;
  Scores?: Record<string, number> | null;
  CoalescedFailures: number;
}

export interface Evaluation {
  ID: string;
  Namespace: string;
  Priority: number;
  Type: string;
  TriggeredBy: string;
  JobID: string;
  NodeID: string;
  DeploymentID: string;
  Status: string;
  StatusDescription: string;
  NextEval: string;
  PreviousEval: string;
  BlockedEval: string;
  FailedTGAllocs: Record<string, AllocMetric> | null;
  QueuedAllocations: Record<string, number> | null;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  ModifyTime: number;
}

export interface FieldDiff {
  Type: string;
  Name: string;
  Old: string;
  New: string;
  Annotations: string[] | null;
}

export interface ObjectDiff {
  Type: string;
  Name: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
}

export interface TaskDiff extends ObjectDiff {
  Annotations: string[] | null;
}

export interface TaskGroupDiff extends ObjectDiff {
  Tasks: TaskDiff[] | null;
  Updates: Record<string, number> | null;
}

export interface JobDiff {
  Type: string;
  ID: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
  TaskGroups: TaskGroupDiff[] | null;
}

export interface JobVersionsResponse {
  Versions: Job[];
  Diffs: JobDiff[] | null;
}

export interface DesiredUpdates {
  Ignore: number;
  Place: number;
  Migrate: number;
  Stop: number;
  InPlaceUpdate: number;
  DestructiveUpdate: number;
  Canary: number;
  Preemptions: number;
}

export interface JobPlanResponse {
  Annotations: { DesiredTGUpdates: Record<string, DesiredUpdates> | null } | null;
  FailedTGAllocs: Record<string, AllocMetric> | null;
  JobModifyIndex: number;
  Diff: JobDiff | null;
  NextPeriodicLaunch: string | null;
  Warnings: string;
}

export interface JobRegisterResponse {
  EvalID: string;
  JobModifyIndex: number;
  Warnings: string;
}

/** The job file a version was submitted from (Nomad's JobSubmission). */
export interface JobSubmission {
  Source: string;
  Format: string;
  VariableFlags: Record<string, string> | null;
  Variables: string;
  Namespace: string;
  JobID: string;
  Version: number;
  JobModifyIndex: number;
}

export type JobSubmissionInput = Pick<JobSubmission, 'Source' | 'Format' | 'VariableFlags' | 'Variables'>;

export interface JobDispatchResponse {
  DispatchedJobID: string;
  EvalID: string;
}

export interface DriverInfo {
  Detected: boolean;
  Healthy: boolean;
  HealthDescription: string;
  Attributes: Record<string, string> | null;
  UpdateTime: string;
}

export interface NodeResources {
  Cpu: { CpuShares: number; TotalCpuCores?: number };
  Memory: { MemoryMB: number };
  Disk: { DiskMB: number };
}

export interface NodeListStub {
  ID: string;
  Name: string;
  Address: string;
  Datacenter: string;
  NodeClass: string;
  NodePool: string;
  Version: string;
  Drain: boolean;
  SchedulingEligibility: string;
  Status: string;
  StatusDescription: string;
  Drivers: Record<string, DriverInfo> | null;
  NodeResources?: NodeResources | null;
  ReservedResources?: { Cpu: { CpuShares: number }; Memory: { MemoryMB: number } } | null;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface NodeEvent {
  Message: string;
  Subsystem: string;
  Details: Record<string, string> | null;
  Timestamp: string;
}

export interface Node extends NodeListStub {
  HTTPAddr: string;
  Attributes: Record<string, string> | null;
  Meta: Record<string, string> | null;
  Events: NodeEvent[] | null;
  StatusUpdatedAt: number;
}

export interface AgentMember {
  Name: string;
  Addr: string;
  Port: number;
  Tags: Record<string, string> | null;
  Status: string;
}

export interface AgentMembers {
  ServerName: string;
  ServerRegion: string;
  ServerDC: string;
  Members: AgentMember[] | null;
}

export interface ServiceStubs {
  Namespace: string;
  Services: { ServiceName: string; Tags: string[] | null }[] | null;
}

export interface ServiceRegistration {
  ID: string;
  ServiceName: string;
  Namespace: string;
  NodeID: string;
  Datacenter: string;
  JobID: string;
  AllocID: string;
  Tags: string[] | null;
  Address: string;
  Port: number;
  CreateIndex: number;
  ModifyIndex: number;
}

/** The latest result of one check of an allocation (Nomad's CheckQueryResult). */
export interface CheckQueryResult {
  ID: string;
  Mode: string;
  Status: 'success' | 'failure' | 'pending';
  StatusCode?: number;
  Output: string;
  /** Unix seconds. */
  Timestamp: number;
  Group: string;
  Task?: string;
  Service: string;
  Check: string;
}

export interface VariableMetadata {
  Namespace: string;
  Path: string;
  CreateIndex: number;
  CreateTime: number;
  ModifyIndex: number;
  ModifyTime: number;
}

export interface Variable extends VariableMetadata {
  Items: Record<string, string>;
}

/** An entry of /v1/client/fs/ls, or /v1/client/fs/stat. */
export interface AllocFileInfo {
  Name: string;
  IsDir: boolean;
  Size: number;
  FileMode: string;
  ModTime: string;
  ContentType: string;
}

export interface ResourceUsage {
  MemoryStats: { RSS: number; Usage: number; MaxUsage: number };
  CpuStats: { Percent: number; TotalTicks: number; UserMode: number; SystemMode: number };
}

export interface AllocStats {
  ResourceUsage: ResourceUsage;
  Tasks: Record<string, { ResourceUsage: ResourceUsage; Timestamp: number }> | null;
  Timestamp: number;
}
