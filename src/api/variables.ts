// Nomad Variables: /v1/vars and /v1/var/:path (`nomad var list|get|put|purge`). A failed
// check-and-set answers 409 with the current variable: `put`/`delete` throw VariableConflictError
// carrying it.
import type { Variable, VariableMetadata } from '../structs/variable.js';
import { ApiError, type ApiClient, type QueryOptions, type Response } from './client.js';

export interface VariableWriteOptions extends QueryOptions {
  /** Check-and-set: the ModifyIndex the variable must have (0 = it must not exist). */
  cas?: number;
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
  const { cas, ...rest } = opts;
  return cas === undefined ? rest : { ...rest, params: { ...(rest.params ?? {}), cas } };
}

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
    const body = { Namespace: opts.namespace ?? '', Path: path, Items: items };
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
}
