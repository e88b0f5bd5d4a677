// Allocations — a task group placed on a node — with their task states and events, placement
// metrics and reschedule history, in Nomad's JSON shape.
import type { Nanos } from './duration.js';
import type { Job } from './job.js';
import type { AllocatedResources } from './resources.js';
import type { GoTime, UnixNanos } from './time.js';

export const ALLOC_DESIRED_STATUSES = ['run', 'stop', 'evict'] as const;
export type AllocDesiredStatus = (typeof ALLOC_DESIRED_STATUSES)[number];

export const ALLOC_CLIENT_STATUSES = ['pending', 'running', 'complete', 'failed', 'lost', 'unknown'] as const;
export type AllocClientStatus = (typeof ALLOC_CLIENT_STATUSES)[number];

export const TASK_STATES = ['pending', 'running', 'dead'] as const;
export type TaskStateName = (typeof TASK_STATES)[number];

/** Task event types, spelled as Nomad spells them (they are shown to users and matched by scripts). */
export const TaskEventType = {
  Received: 'Received',
  Setup: 'Task Setup',
  SetupFailure: 'Setup Failure',
  DriverFailure: 'Driver Failure',
  FailedValidation: 'Failed Validation',
  Started: 'Started',
  Terminated: 'Terminated',
  Killing: 'Killing',
  Killed: 'Killed',
  Restarting: 'Restarting',
  NotRestarting: 'Not Restarting',
  RestartSignal: 'Restart Signaled',
  Signaling: 'Signaling',
  DownloadingArtifacts: 'Downloading Artifacts',
  ArtifactDownloadFailed: 'Failed Artifact Download',
  BuildingTaskDir: 'Building Task Directory',
  DiskExceeded: 'Disk Resources Exceeded',
  SiblingFailed: 'Sibling Task Failed',
  DriverMessage: 'Driver',
  LeaderDead: 'Leader Task Dead',
  MainDead: 'Main Tasks Dead',
  HookFailed: 'Task hook failed',
  HookMessage: 'Task hook message',
  RestoreFailed: 'Failed Restoring Task',
  PluginUnhealthy: 'Plugin became unhealthy',
  PluginHealthy: 'Plugin became healthy',
  ClientReconnected: 'Reconnected',
  WaitingShuttingDownDelay: 'Waiting for shutdown delay',
  SkippingShutdownDelay: 'Skipping shutdown delay',
  Template: 'Template',
} as const;
export type TaskEventTypeName = (typeof TaskEventType)[keyof typeof TaskEventType];

export interface TaskEvent {
  Type: string;
  Time: UnixNanos;
  Message: string;
  DisplayMessage: string;
  Details: Record<string, string>;
  FailsTask: boolean;
  RestartReason: string;
  SetupError: string;
  DriverError: string;
  ExitCode: number;
  Signal: number;
  KillTimeout: Nanos;
  KillError: string;
  KillReason: string;
  StartDelay: Nanos;
  DownloadError: string;
  ValidationError: string;
  DiskLimit: number;
  FailedSibling: string;
  VaultError: string;
  TaskSignalReason: string;
  TaskSignal: string;
  DriverMessage: string;
  GenericSource: string;
}

export const MAX_TASK_EVENTS = 10;

export interface TaskState {
  State: TaskStateName;
  Failed: boolean;
  Restarts: number;
  LastRestart: GoTime;
  StartedAt: GoTime;
  FinishedAt: GoTime;
  Events: TaskEvent[] | null;
  TaskHandle?: unknown;
  Paused?: string;
}

export interface NodeScoreMeta {
  NodeID: string;
  Scores: Record<string, number>;
  NormScore: number;
}

export interface AllocMetric {
  NodesEvaluated: number;
  NodesFiltered: number;
  NodesInPool: number;
  NodePool: string;
  NodesAvailable: Record<string, number> | null;
  ClassFiltered: Record<string, number> | null;
  ConstraintFiltered: Record<string, number> | null;
  NodesExhausted: number;
  ClassExhausted: Record<string, number> | null;
  DimensionExhausted: Record<string, number> | null;
  QuotaExhausted: string[] | null;
  ResourcesExhausted: Record<string, unknown> | null;
  Scores: Record<string, number> | null;
  ScoreMetaData: NodeScoreMeta[] | null;
  AllocationTime: Nanos;
  CoalescedFailures: number;
}

export interface RescheduleEvent {
  RescheduleTime: UnixNanos;
  PrevAllocID: string;
  PrevNodeID: string;
  Delay: Nanos;
}

export interface RescheduleTracker {
  Events: RescheduleEvent[] | null;
  LastReschedule?: string;
}

export interface DesiredTransition {
  Migrate: boolean | null;
  Reschedule: boolean | null;
  ForceReschedule: boolean | null;
  NoShutdownDelay: boolean | null;
  MigrateDisablePlacement?: boolean | null;
}

export interface AllocDeploymentStatus {
  Healthy: boolean | null;
  Timestamp: GoTime;
  Canary: boolean;
  ModifyIndex: number;
}

export interface AllocNetworkStatus {
  InterfaceName: string;
  Address: string;
  AddressIPv6?: string;
  DNS: unknown;
}

export interface Allocation {
  ID: string;
  Namespace: string;
  EvalID: string;
  Name: string;
  NodeID: string;
  NodeName: string;
  JobID: string;
  /** The job version this allocation runs (denormalised, as Nomad does). */
  Job: Job | null;
  TaskGroup: string;
  AllocatedResources: AllocatedResources | null;
  Metrics: AllocMetric | null;
  DesiredStatus: AllocDesiredStatus;
  DesiredDescription: string;
  DesiredTransition: DesiredTransition;
  ClientStatus: AllocClientStatus;
  ClientDescription: string;
  TaskStates: Record<string, TaskState> | null;
  AllocStates: unknown[] | null;
  PreviousAllocation: string;
  NextAllocation: string;
  DeploymentID: string;
  DeploymentStatus: AllocDeploymentStatus | null;
  RescheduleTracker: RescheduleTracker | null;
  NetworkStatus: AllocNetworkStatus | null;
  FollowupEvalID: string;
  PreemptedAllocations: string[] | null;
  PreemptedByAllocation: string;
  CreateIndex: number;
  ModifyIndex: number;
  AllocModifyIndex: number;
  CreateTime: UnixNanos;
  ModifyTime: UnixNanos;
}

/** The list form of an allocation (`GET /v1/allocations`, `/v1/job/:id/allocations`). */
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
  AllocatedResources: AllocatedResources | null;
  DesiredStatus: AllocDesiredStatus;
  DesiredDescription: string;
  ClientStatus: AllocClientStatus;
  ClientDescription: string;
  DesiredTransition: DesiredTransition;
  TaskStates: Record<string, TaskState> | null;
  DeploymentStatus: AllocDeploymentStatus | null;
  FollowupEvalID: string;
  NextAllocation: string;
  RescheduleTracker: RescheduleTracker | null;
  PreemptedAllocations: string[] | null;
  PreemptedByAllocation: string;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: UnixNanos;
  ModifyTime: UnixNanos;
}

export function isClientTerminal(status: AllocClientStatus): boolean {
  return status === 'complete' || status === 'failed' || status === 'lost';
}

export function isServerTerminal(status: AllocDesiredStatus): boolean {
  return status === 'stop' || status === 'evict';
}

/** Terminal from either side: the server no longer wants it or the client has finished it. */
export function isTerminalAlloc(a: Pick<Allocation, 'DesiredStatus' | 'ClientStatus'>): boolean {
  return isServerTerminal(a.DesiredStatus) || isClientTerminal(a.ClientStatus);
}

export function allocListStub(a: Allocation): AllocListStub {
  return {
    ID: a.ID,
    EvalID: a.EvalID,
    Name: a.Name,
    Namespace: a.Namespace,
    NodeID: a.NodeID,
    NodeName: a.NodeName,
    JobID: a.JobID,
    JobType: a.Job?.Type ?? '',
    JobVersion: a.Job?.Version ?? 0,
    TaskGroup: a.TaskGroup,
    AllocatedResources: a.AllocatedResources,
    DesiredStatus: a.DesiredStatus,
    DesiredDescription: a.DesiredDescription,
    ClientStatus: a.ClientStatus,
    ClientDescription: a.ClientDescription,
    DesiredTransition: a.DesiredTransition,
    TaskStates: a.TaskStates,
    DeploymentStatus: a.DeploymentStatus,
    FollowupEvalID: a.FollowupEvalID,
    NextAllocation: a.NextAllocation,
    RescheduleTracker: a.RescheduleTracker,
    PreemptedAllocations: a.PreemptedAllocations,
    PreemptedByAllocation: a.PreemptedByAllocation,
    CreateIndex: a.CreateIndex,
    ModifyIndex: a.ModifyIndex,
    CreateTime: a.CreateTime,
    ModifyTime: a.ModifyTime,
  };
}
