// src/structs: Roam's core types in Nomad's JSON shape, and the small pure helpers that belong to
// them. Everything else imports from here; this folder imports nothing of ours.
export * from './alloc.js';
export * from './assert.js';
export * from './constraints.js';
export * from './deployment.js';
export * from './duration.js';
export * from './eval.js';
export * from './ids.js';
export * from './job.js';
export * from './job-summary.js';
export * from './job-submission.js';
export * from './node.js';
export * from './resources.js';
export * from './services.js';
export * from './checks.js';
export * from './time.js';
export * from './variable.js';
export * from './logger.js';
export * from './version.js';
export * from './alloc-metrics.js';
export * from './task-events.js';
