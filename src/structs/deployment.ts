// Deployments — the rollout of one job version under its `update` block — in Nomad's JSON shape.
// A deployment is "cancelled" (two l), unlike an evaluation.
import type { Nanos } from './duration.js';
import type { GoTime, UnixNanos } from './time.js';

export const DEPLOYMENT_STATUSES = ['running', 'paused', 'failed', 'successful', 'cancelled', 'initializing', 'pending', 'blocked', 'unblocking'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export interface DeploymentState {
  AutoRevert: boolean;
  AutoPromote: boolean;
  ProgressDeadline: Nanos;
  RequireProgressBy: GoTime;
  Promoted: boolean;
  PlacedCanaries: string[] | null;
  DesiredCanaries: number;
  DesiredTotal: number;
  PlacedAllocs: number;
  HealthyAllocs: number;
  UnhealthyAllocs: number;
}

export interface Deployment {
  ID: string;
  Namespace: string;
  JobID: string;
  JobVersion: number;
  JobModifyIndex: number;
  JobSpecModifyIndex: number;
  JobCreateIndex: number;
  IsMultiregion: boolean;
  TaskGroups: Record<string, DeploymentState>;
  Status: DeploymentStatus;
  StatusDescription: string;
  EvalPriority: number;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: UnixNanos;
  ModifyTime: UnixNanos;
}

export function isActiveDeployment(s: DeploymentStatus): boolean {
  return s === 'running' || s === 'paused' || s === 'initializing' || s === 'pending' || s === 'blocked' || s === 'unblocking';
}
