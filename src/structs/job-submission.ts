// The source a job was submitted from (Nomad's JobSubmission): the job file's text, its format,
// and the input variables given with it, kept per job version so the UI can show and edit the HCL
// the user wrote. Optional everywhere: a job registered from API JSON may have none.

export const JOB_SUBMISSION_FORMATS = ['hcl2', 'json'] as const;
export type JobSubmissionFormat = (typeof JOB_SUBMISSION_FORMATS)[number];

/** Nomad's default job_max_source_size ("1M", SI): larger submissions are dropped with a warning. */
export const JOB_MAX_SOURCE_SIZE = 1_000_000;

/** What a client sends with a registration (api.JobSubmission). */
export interface JobSubmissionInput {
  /** The job file as written (hcl2, or json). */
  Source: string;
  /** "hcl2" or "json" ("hcl1" from old clients is kept as given). */
  Format: string;
  /** -var flags and NOMAD_VAR_* values of simple type (hcl2 only). */
  VariableFlags: Record<string, string> | null;
  /** Var-file contents (and complex -var values as `name = value` lines), hcl2 only. */
  Variables: string;
}

/** A stored submission: the input plus the job version it belongs to. */
export interface JobSubmission extends JobSubmissionInput {
  Namespace: string;
  JobID: string;
  Version: number;
  /** The JobModifyIndex of the version (the write that stored it). */
  JobModifyIndex: number;
}

/** Bytes counted against the limit, as Nomad's submissionController: source, variables, and every flag's name and value. */
export function submissionSize(s: JobSubmissionInput): number {
  let n = Buffer.byteLength(s.Source, 'utf8') + Buffer.byteLength(s.Variables, 'utf8');
  for (const [k, v] of Object.entries(s.VariableFlags ?? {})) n += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
  return n;
}

/** go-humanize's Bytes (SI units): "999 B", "1.0 MB", "12 MB". */
export function humanBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const unit = units[e] ?? 'EB';
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10;
  return val < 10 ? `${val.toFixed(1)} ${unit}` : `${val.toFixed(0)} ${unit}`;
}
