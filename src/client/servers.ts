// The servers this client talks to, over HTTP only (src/api): the configured addresses in order,
// moving to the next one when a server cannot be reached. Requests carry the node secret.
import { RoamApi } from '../api/index.js';

/** "host:port" or a URL → a base URL. */
export function serverURL(addr: string): string {
  return /^https?:\/\//.test(addr) ? addr : `http://${addr}`;
}

export class ServerList {
  private i = 0;
  private readonly apis: RoamApi[];

  constructor(addresses: readonly string[], token: string, region: string) {
    if (addresses.length === 0) throw new Error('client has no servers to talk to: set client { servers = [...] } or -servers');
    this.apis = addresses.map((a) => new RoamApi({ address: serverURL(a), token, region }));
  }

  get api(): RoamApi {
    return this.apis[this.i % this.apis.length] as RoamApi;
  }

  get address(): string {
    return this.api.http.address;
  }

  /** The current server failed to answer: try the next one. */
  rotate(): void {
    this.i = (this.i + 1) % this.apis.length;
  }
}
