// The client agents' API, Nomad's /v1/client/*: an allocation's logs and files (streams of
// Nomad's StreamFrame objects, written back to back), resource usage of an allocation and of a
// host, the results of its Nomad-provider service checks, restarting and signalling tasks, and
// exec over a WebSocket speaking Nomad's JSON frames.
// Requests go to the configured agent, which forwards them to the node running the allocation.
import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import WebSocket from 'ws';
import type { AllocCheckStatuses } from '../structs/checks.js';
import { ApiError, readBody, type ApiClient, type QueryOptions } from './client.js';

export interface AllocFileInfo {
  Name: string;
  IsDir: boolean;
  Size: number;
  FileMode: string;
  ModTime: string;
  ContentType?: string;
}

/** A StreamFrame with its data decoded; a heartbeat has no data, file or event. */
export interface StreamFrame {
  Offset: number;
  Data: Buffer;
  File: string;
  FileEvent: string;
}

export interface LogsOptions {
  type?: 'stdout' | 'stderr';
  follow?: boolean;
  origin?: 'start' | 'end';
  offset?: number;
  signal?: AbortSignal;
}

export interface FileStreamOptions {
  follow?: boolean;
  origin?: 'start' | 'end';
  offset?: number;
  signal?: AbortSignal;
}

export interface ExecRequest {
  task: string;
  command: string[];
  tty: boolean;
  /** The command's input; ending it closes the command's stdin. */
  stdin?: AsyncIterable<Uint8Array>;
  /** Terminal size changes (tty only); the first one is sent at once. */
  resize?: AsyncIterable<{ width: number; height: number }>;
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  signal?: AbortSignal;
}

/** The exec session ended without a result: the agent closed the socket with this code and reason. */
export class ExecError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason || `exec session closed (code ${code})`);
  }
}

/** Splits Nomad's back-to-back JSON objects (`{…}{…}`) as they arrive. */
export async function* decodeJsonObjects(stream: AsyncIterable<Buffer | string>): AsyncGenerator<Record<string, unknown>> {
  const decoder = new StringDecoder('utf8');
  let buf = '';
  let i = 0;
  let depth = 0;
  let start = 0;
  let inString = false;
  let escaped = false;
  for await (const chunk of stream) {
    buf += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    for (; i < buf.length; i++) {
      const c = buf[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{') {
        if (depth === 0) start = i;
        depth++;
      } else if (c === '}' && depth > 0) {
        depth--;
        if (depth === 0) yield JSON.parse(buf.slice(start, i + 1)) as Record<string, unknown>;
      }
    }
    if (depth === 0) {
      buf = '';
      i = 0;
    } else {
      buf = buf.slice(start);
      i -= start;
      start = 0;
    }
  }
}

async function* frames(res: IncomingMessage): AsyncGenerator<StreamFrame> {
  for await (const o of decodeJsonObjects(res)) {
    yield {
      Offset: typeof o['Offset'] === 'number' ? o['Offset'] : 0,
      Data: typeof o['Data'] === 'string' ? Buffer.from(o['Data'], 'base64') : Buffer.alloc(0),
      File: typeof o['File'] === 'string' ? o['File'] : '',
      FileEvent: typeof o['FileEvent'] === 'string' ? o['FileEvent'] : '',
    };
  }
}

export class ClientFsApi {
  /** Streams stay open as long as the agent sends; no idle timeout. */
  private readonly streaming: ApiClient;

  constructor(private readonly http: ApiClient) {
    this.streaming = http.with({ timeoutMs: 0 });
  }

  private async open(path: string, params: Record<string, string | number | boolean | undefined>, signal?: AbortSignal): Promise<IncomingMessage> {
    const res = await this.streaming.raw('GET', path, undefined, { params, ...(signal ? { signal } : {}) });
    if ((res.statusCode ?? 0) >= 400) throw new ApiError(res.statusCode ?? 0, await readBody(res), 'GET', path);
    return res;
  }

  /** A task's log as frames (heartbeats included); resolves once the agent has accepted the request. */
  async logs(allocID: string, task: string, opts: LogsOptions = {}): Promise<AsyncIterable<StreamFrame>> {
    const res = await this.open(
      `/v1/client/fs/logs/${encodeURIComponent(allocID)}`,
      { task, type: opts.type ?? 'stdout', follow: opts.follow ?? false, origin: opts.origin ?? 'start', offset: opts.offset ?? 0 },
      opts.signal,
    );
    return frames(res);
  }

  /** One file of the allocation as frames, followed by default as Nomad's fs stream is. */
  async stream(allocID: string, path: string, opts: FileStreamOptions = {}): Promise<AsyncIterable<StreamFrame>> {
    const res = await this.open(
      `/v1/client/fs/stream/${encodeURIComponent(allocID)}`,
      { path, follow: opts.follow ?? true, origin: opts.origin ?? 'start', offset: opts.offset ?? 0 },
      opts.signal,
    );
    return frames(res);
  }

  async ls(allocID: string, path: string): Promise<AllocFileInfo[]> {
    return (await this.http.get<AllocFileInfo[]>(`/v1/client/fs/ls/${encodeURIComponent(allocID)}`, { params: { path } })).data ?? [];
  }

  async stat(allocID: string, path: string): Promise<AllocFileInfo> {
    return (await this.http.get<AllocFileInfo>(`/v1/client/fs/stat/${encodeURIComponent(allocID)}`, { params: { path } })).data;
  }

  /** A file's whole content, as a stream. */
  async cat(allocID: string, path: string, signal?: AbortSignal): Promise<IncomingMessage> {
    return this.open(`/v1/client/fs/cat/${encodeURIComponent(allocID)}`, { path }, signal);
  }

  /** `limit` bytes (all to the end when negative) from `offset`. */
  async readAt(allocID: string, path: string, offset: number, limit: number): Promise<Buffer> {
    const res = await this.open(`/v1/client/fs/readat/${encodeURIComponent(allocID)}`, { path, offset, limit });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  /** Nomad's AllocResourceUsage. */
  async allocStats(allocID: string, task?: string): Promise<AllocResourceUsage> {
    return (await this.http.get<AllocResourceUsage>(`/v1/client/allocation/${encodeURIComponent(allocID)}/stats`, { params: { task } })).data;
  }

  /** The latest result of each Nomad-provider service check of the allocation, by check ID (Nomad's Allocations.Checks); empty when it has none. */
  async allocChecks(allocID: string, opts: QueryOptions = {}): Promise<AllocCheckStatuses> {
    return (await this.http.get<AllocCheckStatuses | null>(`/v1/client/allocation/${encodeURIComponent(allocID)}/checks`, opts)).data ?? {};
  }

  /** Nomad's HostStats of the agent's client, or of `nodeID` through a server. */
  async clientStats(nodeID?: string): Promise<Record<string, unknown>> {
    return (await this.http.get<Record<string, unknown>>('/v1/client/stats', { params: { node_id: nodeID } })).data;
  }

  async restart(allocID: string, task: string, allTasks: boolean): Promise<void> {
    await this.http.put(`/v1/client/allocation/${encodeURIComponent(allocID)}/restart`, { TaskName: task, AllTasks: allTasks });
  }

  async signal(allocID: string, task: string, signal: string): Promise<void> {
    await this.http.put(`/v1/client/allocation/${encodeURIComponent(allocID)}/signal`, { Task: task, Signal: signal });
  }

  /** Runs a command in a task's context; resolves with its exit code. */
  exec(allocID: string, req: ExecRequest): Promise<number> {
    const url = this.http.url(`/v1/client/allocation/${encodeURIComponent(allocID)}/exec`, { params: { task: req.task, tty: req.tty, command: JSON.stringify(req.command) } });
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const headers: Record<string, string> = {};
    if (this.http.config.token) headers['X-Nomad-Token'] = this.http.config.token;
    const ws = new WebSocket(url, { headers });
    const send = (frame: unknown): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
    };
    return new Promise<number>((resolve, reject) => {
      let exitCode: number | undefined;
      const onAbort = (): void => ws.close(1000, 'canceled');
      req.signal?.addEventListener('abort', onAbort, { once: true });
      ws.on('open', () => {
        void (async () => {
          if (!req.stdin) return send({ stdin: { close: true } });
          for await (const chunk of req.stdin) send({ stdin: { data: Buffer.from(chunk).toString('base64') } });
          send({ stdin: { close: true } });
        })().catch(() => undefined);
        void (async () => {
          if (req.resize) for await (const s of req.resize) send({ tty_size: { width: s.width, height: s.height } });
        })().catch(() => undefined);
      });
      ws.on('message', (data: WebSocket.RawData) => {
        let msg: { stdout?: { data?: string }; stderr?: { data?: string }; exited?: boolean; result?: { exit_code?: number } };
        try {
          msg = JSON.parse(String(data)) as typeof msg;
        } catch {
          return;
        }
        if (msg.stdout?.data) req.stdout(Buffer.from(msg.stdout.data, 'base64'));
        if (msg.stderr?.data) req.stderr(Buffer.from(msg.stderr.data, 'base64'));
        if (msg.exited) exitCode = msg.result?.exit_code ?? 0;
      });
      ws.on('error', (err: Error) => reject(new Error(`failed to open the exec session at ${this.http.address}: ${err.message}`)));
      ws.on('close', (code: number, reason: Buffer) => {
        req.signal?.removeEventListener('abort', onAbort);
        if (exitCode !== undefined) resolve(exitCode);
        else reject(new ExecError(code, reason.toString()));
      });
    });
  }
}

export interface AllocResourceUsage {
  ResourceUsage: { MemoryStats: MemoryStats; CpuStats: CpuStats };
  Tasks: Record<string, { ResourceUsage: { MemoryStats: MemoryStats; CpuStats: CpuStats }; Timestamp: number }>;
  Timestamp: number;
}

export interface MemoryStats {
  RSS: number;
  Cache: number;
  Swap: number;
  Usage: number;
  MaxUsage: number;
  KernelUsage: number;
  KernelMaxUsage: number;
  Measured: string[];
}

export interface CpuStats {
  SystemMode: number;
  UserMode: number;
  TotalTicks: number;
  ThrottledPeriods: number;
  ThrottledTime: number;
  Percent: number;
  Measured: string[];
}
