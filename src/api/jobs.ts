// /v1/jobs and /v1/job/:id.
import type { JobListStub } from '../structs/job.js';
import type { ApiClient, QueryOptions, Response } from './client.js';

export class JobsApi {
  constructor(private readonly c: ApiClient) {}
  list(opts: QueryOptions = {}): Promise<Response<JobListStub[]>> {
    return this.c.get<JobListStub[]>('/v1/jobs', opts);
  }
}
