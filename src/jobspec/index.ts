// Public API of the jobspec layer: job files → API job (parseJobFile), API JSON → API job
// (parseApiJobJSON), Nomad's defaults (canonicalizeJob), validation (validateJob, jobWarnings),
// and rendering of errors for people. The server, HTTP layer and CLI use these names only.
export type { Api, ApiCheck, ApiJob, ApiService, ApiTask, ApiTaskGroup } from './api-types.js';
export { ApiJobJSONError, parseApiJobJSON } from './api-json.js';
export { canonicalizeJob } from './canonicalize.js';
export { formatDiagnostics, formatJobErrors, formatWarnings, positionOf } from './format.js';
export { isJSONSyntax, parseJobFile, type ParseOptions, type ParseResult } from './parse.js';
export { cronError, validateJob, type JobValidationError } from './validate.js';
export { CRON_DEPRECATION, jobWarnings } from './warnings.js';
export type { Diagnostic, Range } from './hcl/index.js';
