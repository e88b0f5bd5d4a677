// src/scheduler: Roam's scheduler — a pure function of (state snapshot, evaluation, options with
// a seeded Rng and `now`) to a plan, making the decisions Nomad's scheduler makes. It imports only
// src/structs; it never does I/O, reads a clock or calls Math.random. The server drives it through
// the Planner interface; `roam job plan` drives it through the Harness in dry-run mode.
export type { StateView } from './state-view.js';
export type { DesiredUpdates, DeploymentStatusUpdate, Plan, PlanAnnotations, PlanResult, Planner, SubmitResult } from './planner.js';
export { appendAlloc, appendStoppedAlloc, emptyDesiredUpdates, fullCommit, makePlan, planIsNoOp, popUpdate, progressMade } from './planner.js';
export type { Scheduler, SchedulerFactory, SchedulerOptions } from './scheduler.js';
export { BUILTIN_SCHEDULERS, newScheduler } from './registry.js';
export { GenericScheduler, MAX_BATCH_SCHEDULE_ATTEMPTS, MAX_SERVICE_SCHEDULE_ATTEMPTS } from './generic-scheduler.js';
export { MAX_SYSTEM_SCHEDULE_ATTEMPTS, SystemScheduler } from './system-scheduler.js';
export { Harness, type HarnessOptions } from './harness.js';
export { MemoryState, type StateInit } from './memory-state.js';
export { explainFailures, formatAllocMetrics } from './explain.js';
export { computeNodeClass, nodeClassOf } from './node-class.js';
export { createRng, rngUUID, seedFromEval, seedFromString, shuffle, type Rng } from './rng.js';
export { reconcile, type ReconcileResults, type ReconcilerInput } from './reconciler.js';
export { tasksUpdated } from './tasks-updated.js';
export { nextDelay, nextRescheduleTime } from './reschedule.js';
export { checkOperand, resolveTarget } from './constraints.js';
export { parseVersion, versionMatches } from './version-constraint.js';
export { dcMatches, readyNodesInDCsAndPool } from './feasibility.js';
export { parsePortRanges } from './network-index.js';
