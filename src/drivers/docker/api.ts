// A small client for the Docker Engine API over its unix socket (or tcp://host:port), with what the
// docker driver needs: JSON requests, streamed responses (image pulls, logs, stats), the
// multiplexed stdout/stderr framing, and hijacked connections for exec. API version 1.41 is the
// one Debian's dockerd 20.10 speaks; every path is prefixed with it.
import http from 'node:http';
import type { Duplex, Readable } from 'node:stream';

export const API_VERSION = 'v1.41';

export class DockerApiError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

export interface DockerEndpoint {
  socketPath?: string;
  host?: string;
  port?: number;
}

/** `unix:///var/run/docker.sock` or `tcp://127.0.0.1:2375` (Nomad's `endpoint`); default the local socket. */
export function parseEndpoint(endpoint: string): DockerEndpoint {
  if (endpoint === '') return { socketPath: '/var/run/docker.sock' };
  if (endpoint.startsWith('unix://')) return { socketPath: endpoint.slice('unix://'.length) };
  const m = /^(?:tcp|http):\/\/([^:/]+):(\d+)\/?$/.exec(endpoint);
  if (m) return { host: m[1] as string, port: Number(m[2]) };
  throw new Error(`docker endpoint ${JSON.stringify(endpoint)} is not unix:///path or tcp://host:port`);
}

export interface RequestOptions {
  method?: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Milliseconds; none by default (long-running calls such as wait and logs). */
  timeoutMs?: number;
}

function buildPath(p: string, query: RequestOptions['query']): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v));
  const s = qs.toString();
  return `/${API_VERSION}${p}${s ? `?${s}` : ''}`;
}

async function readAll(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Docker's error bodies are `{"message": "..."}`. */
function errorMessage(body: Buffer): string {
  const text = body.toString('utf8').trim();
  try {
    const v = JSON.parse(text) as { message?: unknown };
    if (typeof v.message === 'string') return v.message;
  } catch {
    // not JSON
  }
  return text;
}

export class DockerClient {
  constructor(readonly endpoint: DockerEndpoint) {}

  private open(p: string, opts: RequestOptions, extraHeaders: Record<string, string> = {}): http.ClientRequest {
    const headers: Record<string, string> = { ...opts.headers, ...extraHeaders };
    const base = this.endpoint.socketPath ? { socketPath: this.endpoint.socketPath } : { host: this.endpoint.host, port: this.endpoint.port };
    const req = http.request({ ...base, path: buildPath(p, opts.query), method: opts.method ?? 'GET', headers, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`docker API ${opts.method ?? 'GET'} ${p} timed out after ${opts.timeoutMs} ms`)));
    return req;
  }

  /** Sends a request and resolves with the response, whatever its status, body unread. */
  stream(p: string, opts: RequestOptions = {}): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const isBuffer = Buffer.isBuffer(opts.body);
      const body = opts.body === undefined ? undefined : isBuffer ? (opts.body as Buffer) : Buffer.from(JSON.stringify(opts.body));
      const req = this.open(p, opts, body ? { 'Content-Type': isBuffer ? 'application/x-tar' : 'application/json', 'Content-Length': String(body.length) } : {});
      req.once('response', resolve);
      req.once('error', reject);
      req.end(body);
    });
  }

  /** A request whose 2xx response body is JSON (or empty); other statuses throw DockerApiError. */
  async json<T>(p: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.stream(p, opts);
    const body = await readAll(res);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new DockerApiError(errorMessage(body) || `HTTP ${status}`, status);
    if (body.length === 0) return undefined as T;
    return JSON.parse(body.toString('utf8')) as T;
  }

  /**
   * Starts a hijacked exchange (POST /exec/:id/start): resolves with the raw duplex socket once
   * dockerd switches protocols, and any bytes it sent along with the switch.
   */
  hijack(p: string, body: unknown): Promise<{ socket: Duplex; head: Buffer }> {
    return new Promise((resolve, reject) => {
      const payload = Buffer.from(JSON.stringify(body));
      const req = this.open(p, { method: 'POST' }, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length), Connection: 'Upgrade', Upgrade: 'tcp' });
      req.once('upgrade', (_res, socket, head) => resolve({ socket, head }));
      req.once('response', (res) => {
        void readAll(res).then((b) => reject(new DockerApiError(errorMessage(b) || `HTTP ${res.statusCode ?? 0}`, res.statusCode ?? 0)), reject);
      });
      req.once('error', reject);
      req.end(payload);
    });
  }
}

/** One frame of Docker's multiplexed stream: 1 = stdout, 2 = stderr (0 = stdin, 3 = system error). */
export interface StreamFrame {
  stream: number;
  data: Buffer;
}

/**
 * Splits Docker's multiplexed stdout/stderr stream (8-byte header: stream type, 3 zero bytes, a
 * big-endian 32-bit length) into frames, across chunk boundaries.
 */
export class Demuxer {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): StreamFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: StreamFrame[] = [];
    while (this.buf.length >= 8) {
      const size = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + size) break;
      out.push({ stream: this.buf[0] ?? 1, data: this.buf.subarray(8, 8 + size) });
      this.buf = this.buf.subarray(8 + size);
    }
    return out;
  }
}

/** Parses a newline-delimited JSON stream (image pulls, events), calling `onObject` for each object. */
export async function readJsonLines(r: Readable, onObject: (v: Record<string, unknown>) => void): Promise<void> {
  let buf = '';
  for await (const c of r) {
    buf += (c as Buffer).toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) onObject(JSON.parse(line) as Record<string, unknown>);
    }
  }
  if (buf.trim()) onObject(JSON.parse(buf) as Record<string, unknown>);
}

export { readAll };
