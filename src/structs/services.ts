// Services (group- and task-level `service` blocks), their checks, and the registrations Nomad's
// native service discovery stores (provider "nomad").

export interface CheckRestart {
  Limit: number;
  Grace: number; // ns
  IgnoreWarnings: boolean;
}

export interface ServiceCheck {
  Name: string;
  Type: string; // http | tcp | script | grpc
  Command: string;
  Args: string[] | null;
  Path: string;
  Protocol: string;
  PortLabel: string;
  Expose: boolean;
  AddressMode: string;
  Advertise: string;
  Interval: number; // ns
  Timeout: number; // ns
  InitialStatus: string;
  TLSServerName: string;
  TLSSkipVerify: boolean;
  Method: string;
  Header: Record<string, string[]> | null;
  CheckRestart: CheckRestart | null;
  GRPCService: string;
  GRPCUseTLS: boolean;
  TaskName: string;
  SuccessBeforePassing: number;
  FailuresBeforeCritical: number;
  FailuresBeforeWarning: number;
  Body: string;
  OnUpdate: string;
  Notes: string;
}

export interface Service {
  Name: string;
  TaskName: string;
  PortLabel: string;
  AddressMode: string;
  Address: string;
  EnableTagOverride: boolean;
  Tags: string[] | null;
  CanaryTags: string[] | null;
  Checks: ServiceCheck[] | null;
  Connect: unknown;
  Meta: Record<string, string> | null;
  CanaryMeta: Record<string, string> | null;
  TaggedAddresses: Record<string, string> | null;
  Namespace: string;
  OnUpdate: string;
  /** "consul" (Nomad's default) or "nomad". */
  Provider: string;
  Cluster: string;
  Identity: unknown;
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

/** The ID a client gives a registration: `_nomad-task-<allocID>-<task|group-name>-<service>-<portLabel>`. */
export function serviceRegistrationID(allocID: string, owner: string, serviceName: string, portLabel: string): string {
  return `_nomad-task-${allocID}-${owner}-${serviceName}-${portLabel}`;
}
