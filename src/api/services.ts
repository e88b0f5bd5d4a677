// Nomad's native service discovery, read side and operator delete: /v1/services,
// /v1/service/:name and DELETE /v1/service/:name/:id (`nomad service list|info|delete`).
import type { ServiceRegistration } from '../structs/services.js';
import type { ApiClient, QueryOptions, Response } from './client.js';

export interface ServiceListStub {
  ServiceName: string;
  Tags: string[];
}

export interface NamespacedServiceList {
  Namespace: string;
  Services: ServiceListStub[];
}

const enc = encodeURIComponent;

export class ServicesApi {
  constructor(private readonly c: ApiClient) {}
  list(opts: QueryOptions = {}): Promise<Response<NamespacedServiceList[]>> {
    return this.c.get<NamespacedServiceList[]>('/v1/services', opts);
  }
  info(name: string, opts: QueryOptions = {}): Promise<Response<ServiceRegistration[]>> {
    return this.c.get<ServiceRegistration[]>(`/v1/service/${enc(name)}`, opts);
  }
  delete(name: string, id: string, opts: QueryOptions = {}): Promise<Response<null>> {
    return this.c.delete<null>(`/v1/service/${enc(name)}/${enc(id)}`, opts);
  }
}
