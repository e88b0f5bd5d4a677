// Placement-failure explanations live with the AllocMetric type (src/structs/alloc-metrics.ts) so
// the CLI can use them too; the scheduler re-exports them for `job plan`.
export { explainFailures, formatAllocMetrics } from '../structs/alloc-metrics.js';
