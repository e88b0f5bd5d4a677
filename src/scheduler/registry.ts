// The built-in schedulers by job type, as Nomad's BuiltinSchedulers: service and batch use the
// generic scheduler, system and sysbatch the system scheduler.
import type { JobType } from '../structs/index.js';
import { GenericScheduler } from './generic-scheduler.js';
import type { Planner } from './planner.js';
import type { Scheduler, SchedulerFactory, SchedulerOptions } from './scheduler.js';
import type { StateView } from './state-view.js';
import { SystemScheduler } from './system-scheduler.js';

export const BUILTIN_SCHEDULERS: Readonly<Record<JobType, SchedulerFactory>> = {
  service: (state, planner, options) => new GenericScheduler(state, planner, false, options),
  batch: (state, planner, options) => new GenericScheduler(state, planner, true, options),
  system: (state, planner, options) => new SystemScheduler(state, planner, false, options),
  sysbatch: (state, planner, options) => new SystemScheduler(state, planner, true, options),
};

/** The scheduler for an evaluation type, or undefined for a type no scheduler handles. */
export function newScheduler(type: string, state: StateView, planner: Planner, options: SchedulerOptions): Scheduler | undefined {
  const factory = (BUILTIN_SCHEDULERS as Record<string, SchedulerFactory | undefined>)[type];
  return factory?.(state, planner, options);
}
