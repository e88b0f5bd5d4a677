// Factories for complete, valid objects with Nomad's defaults, for tests and simulations across
// layers (the analogue of Nomad's nomad/mock). Every factory returns a fresh object; pass
// overrides for the fields a test cares about.
import type { Allocation, TaskState } from './alloc.js';
import { HOUR, MINUTE, SECOND } from './duration.js';
import { newEvaluation, type Evaluation } from './eval.js';
import { generateUUID } from './ids.js';
import type { Job, RestartPolicy, Task, TaskGroup, UpdateStrategy } from './job.js';
import type { Node } from './node.js';
import type { Resources } from './resources.js';
import type { Service, ServiceCheck } from './services.js';
import { ZERO_TIME } from './time.js';

export function mockResources(over: Partial<Resources> = {}): Resources {
  return { CPU: 100, Cores: 0, MemoryMB: 300, MemoryMaxMB: 0, DiskMB: 0, IOPS: 0, Networks: null, Devices: null, ...over };
}

export function mockRestartPolicy(type: 'service' | 'batch' = 'service'): RestartPolicy {
  return type === 'batch'
    ? { Attempts: 3, Interval: 24 * HOUR, Delay: 15 * SECOND, Mode: 'fail', RenderTemplates: false }
    : { Attempts: 2, Interval: 30 * MINUTE, Delay: 15 * SECOND, Mode: 'fail', RenderTemplates: false };
}

export function mockUpdateStrategy(over: Partial<UpdateStrategy> = {}): UpdateStrategy {
  return {
    Stagger: 30 * SECOND,
    MaxParallel: 1,
    HealthCheck: 'checks',
    MinHealthyTime: 10 * SECOND,
    HealthyDeadline: 5 * MINUTE,
    ProgressDeadline: 10 * MINUTE,
    AutoRevert: false,
    AutoPromote: false,
    Canary: 0,
    ...over,
  };
}

export function mockTask(over: Partial<Task> = {}): Task {
  return {
    Name: 'web',
    Driver: 'mock_driver',
    User: '',
    Config: { run_for: '10s' },
    Env: null,
    Services: null,
    Vault: null,
    Consul: null,
    Templates: null,
    Constraints: null,
    Affinities: null,
    Resources: mockResources({ CPU: 500, MemoryMB: 256 }),
    RestartPolicy: null,
    DispatchPayload: null,
    Lifecycle: null,
    Meta: null,
    KillTimeout: 5 * SECOND,
    LogConfig: { MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false },
    Artifacts: null,
    Leader: false,
    ShutdownDelay: 0,
    VolumeMounts: null,
    ScalingPolicies: null,
    KillSignal: '',
    Kind: '',
    CSIPluginConfig: null,
    Identity: null,
    Identities: null,
    Actions: null,
    ...over,
  };
}

export function mockTaskGroup(over: Partial<TaskGroup> = {}): TaskGroup {
  return {
    Name: 'web',
    Count: 10,
    Update: null,
    Migrate: null,
    Constraints: null,
    Scaling: null,
    RestartPolicy: mockRestartPolicy(),
    Tasks: [mockTask()],
    EphemeralDisk: { Sticky: false, SizeMB: 150, Migrate: false },
    Meta: null,
    ReschedulePolicy: { Attempts: 0, Interval: 0, Delay: 30 * SECOND, DelayFunction: 'exponential', MaxDelay: HOUR, Unlimited: true },
    Affinities: null,
    Spreads: null,
    Networks: null,
    Consul: null,
    Services: null,
    Volumes: null,
    ShutdownDelay: null,
    StopAfterClientDisconnect: null,
    MaxClientDisconnect: null,
    PreventRescheduleOnLost: false,
    Disconnect: null,
    ...over,
  };
}

export function mockJob(over: Partial<Job> = {}): Job {
  const id = over.ID ?? `mock-service-${generateUUID().slice(0, 8)}`;
  return {
    Stop: false,
    Region: 'global',
    Namespace: 'default',
    ID: id,
    ParentID: '',
    Name: over.Name ?? id,
    Type: 'service',
    Priority: 50,
    AllAtOnce: false,
    Datacenters: ['dc1'],
    NodePool: 'default',
    Constraints: null,
    Affinities: null,
    Spreads: null,
    TaskGroups: [mockTaskGroup()],
    Update: mockUpdateStrategy(),
    Multiregion: null,
    Periodic: null,
    ParameterizedJob: null,
    Dispatched: false,
    DispatchIdempotencyToken: '',
    Payload: null,
    Meta: null,
    ConsulNamespace: '',
    VaultNamespace: '',
    NomadTokenID: '',
    Status: 'pending',
    StatusDescription: '',
    Stable: false,
    Version: 0,
    SubmitTime: 0,
    CreateIndex: 42,
    ModifyIndex: 99,
    JobModifyIndex: 99,
    ...over,
  };
}

export function mockBatchJob(over: Partial<Job> = {}): Job {
  return mockJob({
    Type: 'batch',
    Update: mockUpdateStrategy({ MaxParallel: 0, Stagger: 0, HealthCheck: '', MinHealthyTime: 0, HealthyDeadline: 0, ProgressDeadline: 0 }),
    TaskGroups: [
      mockTaskGroup({
        Name: 'worker',
        RestartPolicy: mockRestartPolicy('batch'),
        ReschedulePolicy: { Attempts: 1, Interval: 24 * HOUR, Delay: 5 * SECOND, DelayFunction: 'constant', MaxDelay: 0, Unlimited: false },
        Tasks: [mockTask({ Name: 'worker' })],
      }),
    ],
    ...over,
  });
}

export function mockNode(over: Partial<Node> = {}): Node {
  const id = over.ID ?? generateUUID();
  return {
    ID: id,
    SecretID: generateUUID(),
    Datacenter: 'dc1',
    Name: `node-${id.slice(0, 8)}`,
    HTTPAddr: '127.0.0.1:4646',
    TLSEnabled: false,
    Attributes: {
      'kernel.name': 'linux',
      'cpu.arch': 'amd64',
      'nomad.version': '0.1.0',
      'driver.mock_driver': '1',
      'driver.raw_exec': '1',
      'unique.network.ip-address': '127.0.0.1',
      'nomad.service_discovery': 'true',
    },
    NodeResources: {
      Cpu: { CpuShares: 4000, TotalCpuCores: 4, ReservableCpuCores: [0, 1, 2, 3] },
      Memory: { MemoryMB: 8192 },
      Disk: { DiskMB: 100 * 1024 },
      Networks: [{ Mode: 'host', Device: 'eth0', CIDR: '192.168.0.100/32', IP: '192.168.0.100', Hostname: '', MBits: 1000, DNS: null, ReservedPorts: null, DynamicPorts: null }],
      NodeNetworks: null,
      Devices: null,
      MinDynamicPort: 20000,
      MaxDynamicPort: 32000,
    },
    ReservedResources: { Cpu: { CpuShares: 100, ReservedCpuCores: null }, Memory: { MemoryMB: 256 }, Disk: { DiskMB: 4 * 1024 }, Networks: { ReservedHostPorts: '22' } },
    Links: null,
    Meta: { pci_dss: 'true', database: 'mysql', version: '5.6' },
    NodeClass: 'linux-medium-pci',
    NodePool: 'default',
    CgroupParent: '',
    ComputedClass: '',
    DrainStrategy: null,
    SchedulingEligibility: 'eligible',
    Status: 'ready',
    StatusDescription: '',
    StatusUpdatedAt: 0,
    Events: null,
    Drivers: {
      mock_driver: { Attributes: null, Detected: true, Healthy: true, HealthDescription: 'Healthy', UpdateTime: ZERO_TIME },
      raw_exec: { Attributes: null, Detected: true, Healthy: true, HealthDescription: 'Healthy', UpdateTime: ZERO_TIME },
    },
    HostVolumes: null,
    HostNetworks: null,
    LastDrain: null,
    CreateIndex: 1,
    ModifyIndex: 1,
    ...over,
  };
}

export function mockEval(over: Partial<Evaluation> = {}): Evaluation {
  return newEvaluation({ ID: generateUUID(), Namespace: 'default', Priority: 50, Type: 'service', TriggeredBy: 'job-register', JobID: generateUUID(), Status: 'pending', CreateIndex: 1, ModifyIndex: 1, ...over });
}

export function mockTaskState(over: Partial<TaskState> = {}): TaskState {
  return { State: 'pending', Failed: false, Restarts: 0, LastRestart: ZERO_TIME, StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME, Events: [], ...over };
}

export function mockAlloc(job: Job = mockJob(), node: Node = mockNode(), over: Partial<Allocation> = {}): Allocation {
  const group = job.TaskGroups[0];
  const groupName = group?.Name ?? 'web';
  const tasks = Object.fromEntries((group?.Tasks ?? []).map((t) => [t.Name, { Cpu: { CpuShares: t.Resources.CPU, ReservedCores: null }, Memory: { MemoryMB: t.Resources.MemoryMB, MemoryMaxMB: t.Resources.MemoryMaxMB }, Networks: null, Devices: null }]));
  return {
    ID: generateUUID(),
    Namespace: job.Namespace,
    EvalID: generateUUID(),
    Name: `${job.ID}.${groupName}[0]`,
    NodeID: node.ID,
    NodeName: node.Name,
    JobID: job.ID,
    Job: job,
    TaskGroup: groupName,
    AllocatedResources: { Tasks: tasks, TaskLifecycles: {}, Shared: { Networks: null, DiskMB: group?.EphemeralDisk.SizeMB ?? 0, Ports: null } },
    Metrics: null,
    DesiredStatus: 'run',
    DesiredDescription: '',
    DesiredTransition: { Migrate: null, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null },
    ClientStatus: 'pending',
    ClientDescription: '',
    TaskStates: null,
    AllocStates: null,
    PreviousAllocation: '',
    NextAllocation: '',
    DeploymentID: '',
    DeploymentStatus: null,
    RescheduleTracker: null,
    NetworkStatus: null,
    FollowupEvalID: '',
    PreemptedAllocations: null,
    PreemptedByAllocation: '',
    CreateIndex: 1,
    ModifyIndex: 1,
    AllocModifyIndex: 1,
    CreateTime: 0,
    ModifyTime: 0,
    ...over,
  };
}

/** An http check of a task service with Nomad's canonical defaults (interval 10s, timeout 2s). */
export function mockServiceCheck(over: Partial<ServiceCheck> = {}): ServiceCheck {
  return {
    Name: 'alive',
    Type: 'http',
    Command: '',
    Args: null,
    Path: '/health',
    Protocol: '',
    PortLabel: '',
    Expose: false,
    AddressMode: '',
    Advertise: '',
    Interval: 10e9,
    Timeout: 2e9,
    InitialStatus: '',
    TLSServerName: '',
    TLSSkipVerify: false,
    Method: '',
    Header: null,
    CheckRestart: null,
    GRPCService: '',
    GRPCUseTLS: false,
    TaskName: 'server',
    SuccessBeforePassing: 0,
    FailuresBeforeCritical: 0,
    FailuresBeforeWarning: 0,
    Body: '',
    OnUpdate: 'require_healthy',
    Notes: '',
    ...over,
  };
}

/** A provider="nomad" service with Nomad's canonical defaults and no checks. */
export function mockService(over: Partial<Service> = {}): Service {
  return { Name: 'web', TaskName: '', PortLabel: '', AddressMode: 'auto', Address: '', EnableTagOverride: false, Tags: null, CanaryTags: null, Checks: null, Connect: null, Meta: null, CanaryMeta: null, TaggedAddresses: null, Namespace: 'default', OnUpdate: 'require_healthy', Provider: 'nomad', Cluster: 'default', Identity: null, ...over };
}
