// Nomad Variables: /v1/vars and /v1/var/:path (`nomad var list|get|put|purge|lock`). A failed
// check-and-set, or a write blocked by someone else's lock, answers 409 with a variable:
// `put`/`delete`/`acquireLock`/`releaseLock` throw VariableConflictError carrying it. The lock
// operations are Nomad's api.Variables AcquireLock/RenewLock/ReleaseLock (`?lock-acquire` …).
import type { Variable, VariableLock, VariableMetadata } from '../structs/variable.js';
import { ApiError, type ApiClient, type QueryOptions, type Response } from './client.js';

export interface VariableWriteOptions extends QueryOptions {
  /** Check-and-set: the ModifyIndex the variable must have (0 = it must not exist). */
  cas?: number;
  /** The ID of the lock the variable holds: writes to a locked variable need it. */
  lockID?: string;
}

/** What `acquireLock` asks for; the server fills what is left out (a new ID, TTL and delay of 15 s). */
export interface LockRequest {
  /** Items written with the lock (acquiring replaces the variable's items, as in Nomad). */
  items?: Record<string, string>;
  /** Go duration syntax ("15s"). */
  ttl?: string;
  lockDelay?: string;
  /** Acquire again a lock this caller holds. */
  id?: string;
}

/** A check-and-set write lost: `current` is the variable as it is now (Items absent when it does not exist). */
export class VariableConflictError extends Error {
  constructor(readonly current: Variable | VariableMetadata) {
    super(`check-and-set conflict: the variable's modify index is ${current.ModifyIndex}`);
  }
}

/** Each path segment is escaped on its own, so "/" stays a separator. */
export function variableUrl(path: string): string {
  return `/v1/var/${path.split('/').map(encodeURIComponent).join('/')}`;
}

function withCas(opts: VariableWriteOptions): QueryOptions {
  const { cas, lockID: _lockID, ...rest } = opts;
  return cas === undefined ? rest : { ...rest, params: { ...(rest.params ?? {}), cas } };
}

/** A lock operation's URL: the operation is a bare query parameter, as Nomad's client sends it. */
const lockUrl = (path: string, op: 'lock-acquire' | 'lock-renew' | 'lock-release'): string => `${variableUrl(path)}?${op}`;

function conflictOf(err: unknown): VariableConflictError | undefined {
  if (!(err instanceof ApiError) || err.status !== 409) return undefined;
  try {
    return new VariableConflictError(JSON.parse(err.body) as Variable | VariableMetadata);
  } catch {
    return undefined;
  }
}

export class VariablesApi {
  constructor(private readonly c: ApiClient) {}
  list(opts: QueryOptions = {}): Promise<Response<VariableMetadata[]>> {
    return this.c.get<VariableMetadata[]>('/v1/vars', opts);
  }
  read(path: string, opts: QueryOptions = {}): Promise<Response<Variable>> {
    return this.c.get<Variable>(variableUrl(path), opts);
  }
  /** Like `read`, but null when the variable does not exist (404). */
  async peek(path: string, opts: QueryOptions = {}): Promise<Response<Variable | null>> {
    try {
      return await this.read(path, opts);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return { data: null, meta: { lastIndex: 0, knownLeader: false, lastContact: 0, nextToken: '' }, status: 404 };
      throw err;
    }
  }
  async put(path: string, items: Record<string, string>, opts: VariableWriteOptions = {}): Promise<Response<Variable>> {
    const body = { Namespace: opts.namespace ?? '', Path: path, Items: items, ...(opts.lockID ? { Lock: { ID: opts.lockID } } : {}) };
    try {
      return await this.c.put<Variable>(variableUrl(path), body, withCas(opts));
    } catch (err) {
      throw conflictOf(err) ?? err;
    }
  }
  async delete(path: string, opts: VariableWriteOptions = {}): Promise<Response<null>> {
    try {
      return await this.c.delete<null>(variableUrl(path), withCas(opts));
    } catch (err) {
      throw conflictOf(err) ?? err;
    }
  }

  /** Puts a lock on the variable (creating it when missing); the answer carries the lock and its ID. */
  async acquireLock(path: string, req: LockRequest = {}, opts: QueryOptions = {}): Promise<Response<Variable>> {
    const lock: Partial<VariableLock> = { ...(req.id ? { ID: req.id } : {}), ...(req.ttl ? { TTL: req.ttl } : {}), ...(req.lockDelay ? { LockDelay: req.lockDelay } : {}) };
    const body = { Namespace: opts.namespace ?? '', Path: path, ...(req.items ? { Items: req.items } : {}), Lock: lock };
    try {
      return await this.c.put<Variable>(lockUrl(path, 'lock-acquire'), body, opts);
    } catch (err) {
      throw conflictOf(err) ?? err;
    }
  }
  /** Extends the lock's lease; a lock that is not this ID's, or whose TTL ran out, is a 409 ApiError. */
  renewLock(path: string, lockID: string, opts: QueryOptions = {}): Promise<Response<VariableMetadata>> {
    return this.c.put<VariableMetadata>(lockUrl(path, 'lock-renew'), { Namespace: opts.namespace ?? '', Path: path, Lock: { ID: lockID } }, opts);
  }
  /** Removes the lock (the items stay); another holder's lock is a VariableConflictError. */
  async releaseLock(path: string, lockID: string, opts: QueryOptions = {}): Promise<Response<VariableMetadata>> {
    try {
      return await this.c.put<VariableMetadata>(lockUrl(path, 'lock-release'), { Namespace: opts.namespace ?? '', Path: path, Lock: { ID: lockID } }, opts);
    } catch (err) {
      throw conflictOf(err) ?? err;
    }
  }
}
