// The API request shape of a job (Nomad's `api.Job`): the same PascalCase fields as the canonical
// Job of src/structs, every one optional or null (Go pointers), durations in nanoseconds. The
// decoder produces it from HCL, `-json` files and HTTP bodies arrive in it, and canonicalizeJob
// turns it into a Job. A few fields exist only in the API shape (service-level check_restart,
// job-level reschedule/migrate, the periodic `cron`), and are listed explicitly below.
import type { CheckRestart, Job, Service, ServiceCheck, Task, TaskGroup } from '../structs/index.js';

/**
 * T with every field optional and nullable, recursively. Arrays keep their element shape; maps
 * (types with a string index, such as meta or a driver config) keep theirs, with api elements.
 */
export type Api<T> = T extends readonly (infer U)[]
  ? Api<U>[]
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends object
      ? string extends keyof T
        ? { [k: string]: Api<T[string & keyof T]> }
        : { [K in keyof T]?: Api<T[K]> | null }
      : T;

type ApiShape<T> = { [K in keyof T]?: Api<T[K]> | null };

export type ApiCheck = ApiShape<ServiceCheck>;

export interface ApiService extends Omit<ApiShape<Service>, 'Checks'> {
  Checks?: ApiCheck[] | null;
  /** Service-level check_restart, merged into every check by canonicalization. */
  CheckRestart?: Api<CheckRestart> | null;
  Weights?: { Passing?: number; Warning?: number } | null;
  Kind?: string | null;
}

export interface ApiTask extends Omit<ApiShape<Task>, 'Services'> {
  Services?: ApiService[] | null;
  /** Secret blocks (Nomad 1.10+): stored as written. */
  Secrets?: Record<string, unknown>[] | null;
  /** Task `schedule { cron { … } }` (Nomad Enterprise): stored as written. */
  Schedule?: Record<string, unknown> | null;
}

export type ApiReschedule = NonNullable<Api<TaskGroup['ReschedulePolicy']>>;
export type ApiMigrate = NonNullable<Api<TaskGroup['Migrate']>>;
export type ApiUpdate = NonNullable<Api<TaskGroup['Update']>>;

export interface ApiTaskGroup extends Omit<ApiShape<TaskGroup>, 'Tasks' | 'Services'> {
  Tasks?: ApiTask[] | null;
  Services?: ApiService[] | null;
}

export interface ApiJob extends Omit<ApiShape<Job>, 'TaskGroups' | 'Update'> {
  TaskGroups?: ApiTaskGroup[] | null;
  Update?: ApiUpdate | null;
  /** Job-level reschedule and migrate blocks exist only in the API shape: they are merged into groups. */
  Reschedule?: ApiReschedule | null;
  Migrate?: ApiMigrate | null;
}
