// parseApiJobJSON: a job in Nomad's API JSON (`nomad job run -json`, `POST /v1/jobs` bodies): either
// a bare job object or one wrapped as {"Job": {…}}. Shape problems throw ApiJobJSONError with a
// message that says what was expected; the contents are judged later by canonicalize + validate.
import type { ApiJob } from './api-types.js';

export class ApiJobJSONError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseApiJobJSON(text: string): ApiJob {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ApiJobJSONError(`Failed to parse JSON job: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isRecord(v)) throw new ApiJobJSONError('Failed to parse JSON job: expected a JSON object (a job, or {"Job": {…}})');
  const inner = v['Job'];
  if (inner !== undefined) {
    if (!isRecord(inner)) throw new ApiJobJSONError('Failed to parse JSON job: "Job" must be an object');
    return inner as ApiJob;
  }
  if (isRecord(v['job'])) {
    throw new ApiJobJSONError('Failed to parse JSON job: this looks like an HCL JSON jobspec ({"job": {…}}); run it without -json');
  }
  if (!('ID' in v) && !('Name' in v) && !('TaskGroups' in v)) {
    throw new ApiJobJSONError('Failed to parse JSON job: expected an API job object with ID, Name and TaskGroups, or {"Job": {…}}');
  }
  return v as ApiJob;
}
