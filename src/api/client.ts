// The typed HTTP client for Roam's (and Nomad's) /v1 API. The CLI, the client agent and the tests
// talk to servers only through it. It speaks plain HTTP/1.1 over node:http so blocking queries can
// wait as long as the server holds them (fetch's default header timeout would cut them at 300 s),
// and it exposes the X-Nomad-* metadata of every response.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

export interface ClientConfig {
  /** e.g. http://127.0.0.1:4646 */
  address: string;
  token?: string;
  region?: string;
  namespace?: string;
  /** Per-request timeout in ms for non-blocking requests (default 60 s). */
  timeoutMs?: number;
  tlsSkipVerify?: boolean;
}

export interface QueryOptions {
  /** Blocking query: return when the index is greater than this. */
  index?: number;
  /** Longest wait for a blocking query, Go duration syntax ("5m") or milliseconds. */
  wait?: string | number;
  prefix?: string;
  namespace?: string;
  region?: string;
  filter?: string;
  perPage?: number;
  nextToken?: string;
  params?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
}

export interface QueryMeta {
  lastIndex: number;
  knownLeader: boolean;
  lastContact: number;
  nextToken: string;
}

export interface Response<T> {
  data: T;
  meta: QueryMeta;
  status: number;
}

/** An error answer from the server: the HTTP status and the server's plain-text message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly method: string,
    readonly path: string,
    /** The answer's X-Nomad-Index (0 when it had none): a 404 of a blocking query carries it. */
    readonly index = 0,
  ) {
    super(`Unexpected response code: ${status} (${body.trim()})`);
  }
}

/** The server could not be reached at all. */
export class ConnectionError extends Error {
  constructor(
    readonly address: string,
    cause: Error,
  ) {
    super(`Error querying agent at ${address}: ${cause.message}`);
  }
}

export class ApiClient {
  readonly address: string;
  private readonly base: URL;

  constructor(readonly config: ClientConfig) {
    this.address = config.address.replace(/\/+$/, '');
    this.base = new URL(this.address);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new Error(`invalid address ${JSON.stringify(config.address)}: expected http:// or https://`);
    }
  }

  /** A client identical to this one but with other settings (namespace, token…). */
  with(over: Partial<ClientConfig>): ApiClient {
    return new ApiClient({ ...this.config, ...over });
  }

  url(path: string, opts: QueryOptions = {}): URL {
    const u = new URL(path, this.base);
    const set = (k: string, v: string | number | boolean | undefined): void => {
      if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    };
    set('region', opts.region ?? this.config.region);
    set('namespace', opts.namespace ?? this.config.namespace);
    if (opts.index !== undefined && opts.index > 0) set('index', opts.index);
    if (opts.wait !== undefined) set('wait', typeof opts.wait === 'number' ? `${Math.ceil(opts.wait)}ms` : opts.wait);
    set('prefix', opts.prefix);
    set('filter', opts.filter);
    if (opts.perPage) set('per_page', opts.perPage);
    set('next_token', opts.nextToken);
    for (const [k, v] of Object.entries(opts.params ?? {})) set(k, v);
    return u;
  }

  async get<T>(path: string, opts: QueryOptions = {}): Promise<Response<T>> {
    return this.json<T>('GET', path, undefined, opts);
  }
  async put<T>(path: string, body?: unknown, opts: QueryOptions = {}): Promise<Response<T>> {
    return this.json<T>('PUT', path, body, opts);
  }
  async post<T>(path: string, body?: unknown, opts: QueryOptions = {}): Promise<Response<T>> {
    return this.json<T>('POST', path, body, opts);
  }
  async delete<T>(path: string, opts: QueryOptions = {}): Promise<Response<T>> {
    return this.json<T>('DELETE', path, undefined, opts);
  }

  /** Sends a request and decodes a JSON answer; error statuses become ApiError. */
  async json<T>(method: string, path: string, body: unknown, opts: QueryOptions = {}): Promise<Response<T>> {
    const res = await this.raw(method, path, body === undefined ? undefined : JSON.stringify(body), opts);
    const text = await readBody(res);
    const meta = metaOf(res);
    if ((res.statusCode ?? 0) >= 400) throw new ApiError(res.statusCode ?? 0, text, method, path, meta.lastIndex);
    let data: T;
    try {
      data = (text === '' ? null : JSON.parse(text)) as T;
    } catch {
      data = text as T;
    }
    return { data, meta, status: res.statusCode ?? 0 };
  }

  /** Sends a request and returns the response stream unread (logs, event stream, raw bodies). */
  raw(method: string, path: string, body: string | Buffer | undefined, opts: QueryOptions = {}): Promise<IncomingMessage> {
    const url = this.url(path, opts);
    const blocking = (opts.index ?? 0) > 0;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.config.token) headers['X-Nomad-Token'] = this.config.token;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, headers, signal: opts.signal, ...(url.protocol === 'https:' && this.config.tlsSkipVerify ? { rejectUnauthorized: false } : {}) }, resolve);
      // Blocking queries and streams may legitimately stay silent for minutes.
      if (!blocking) req.setTimeout(this.config.timeoutMs ?? 60_000, () => req.destroy(new Error(`request timed out after ${this.config.timeoutMs ?? 60_000} ms`)));
      req.on('error', (err) => reject(err.name === 'AbortError' ? err : new ConnectionError(this.address, err)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

export function metaOf(res: IncomingMessage): QueryMeta {
  const h = (name: string): string => {
    const v = res.headers[name];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  return {
    lastIndex: Number(h('x-nomad-index') || 0),
    knownLeader: h('x-nomad-knownleader') === 'true',
    lastContact: Number(h('x-nomad-lastcontact') || 0),
    nextToken: h('x-nomad-nexttoken'),
  };
}

export async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
