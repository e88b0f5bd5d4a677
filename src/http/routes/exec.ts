// GET /v1/client/allocation/:id/exec: a command run beside a task, over a WebSocket speaking
// Nomad's JSON frames. Client → server: `{"stdin":{"data":"<b64>"}}`, `{"stdin":{"close":true}}`,
// `{"tty_size":{"height":h,"width":w}}` and, with `ws_handshake=true`, a first
// `{"version":1,"auth_token":"…"}`. Server → client: `{"stdout":{"data":"<b64>"}}`,
// `{"stderr":{"data":"<b64>"}}`, then `{"exited":true,"result":{"exit_code":N}}` and a normal
// close. A failure before or instead of a result closes the socket with code 4000+HTTP status
// (1011 for unexpected errors) and the message as the reason. The command is killed when the
// socket goes away. An allocation running on another node is bridged to that node's agent.
import websocketPlugin from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import WebSocket from 'ws';
import { BadRequestError, HttpError, NotFoundError } from '../errors.js';
import { FORWARDED_HEADER, locateAlloc, type ClientRouteDeps } from './client-target.js';

export const EXEC_PATH = '/v1/client/allocation/:id/exec';

/** A push-driven async iterable: what the socket receives, handed to the command as it arrives. */
class Feed<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;

  push(v: T): void {
    if (this.ended) return;
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w({ value: v, done: false });
    } else this.items.push(v);
  }

  end(): void {
    this.ended = true;
    const w = this.waiting;
    this.waiting = undefined;
    w?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const v = this.items.shift();
        if (v !== undefined) return Promise.resolve({ value: v, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

interface ExecInput {
  stdin?: { data?: string; close?: boolean };
  tty_size?: { height?: number; width?: number };
  version?: number;
  auth_token?: string;
}

function closeWithError(socket: WebSocket, err: unknown): void {
  const code = err instanceof HttpError ? 4000 + err.status : 1011;
  const message = err instanceof Error ? err.message : String(err);
  // A close reason is at most 123 bytes.
  let reason = message;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  if (socket.readyState === WebSocket.OPEN) socket.close(code, reason);
}

function parseCommand(raw: string | undefined): string[] {
  if (!raw) throw new BadRequestError('command is not set');
  let cmd: unknown;
  try {
    cmd = JSON.parse(raw);
  } catch {
    throw new BadRequestError(`command is not a JSON array: ${raw}`);
  }
  if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every((c): c is string => typeof c === 'string')) throw new BadRequestError('command must be a non-empty JSON array of strings');
  return cmd;
}

function handleExec(deps: ClientRouteDeps, socket: WebSocket, request: FastifyRequest): void {
  const q = request.query as Record<string, string | undefined>;
  const id = (request.params as { id?: string }).id;
  let target: ReturnType<typeof locateAlloc>;
  try {
    target = locateAlloc(deps, id, request.headers);
  } catch (err) {
    closeWithError(socket, err);
    return;
  }
  if (target.kind === 'remote') {
    bridge(target.address, request, socket);
    return;
  }
  const stdin = new Feed<Uint8Array>();
  const resize = new Feed<{ width: number; height: number }>();
  const ctl = new AbortController();
  let handshakePending = q['ws_handshake'] === 'true';
  socket.on('message', (data: WebSocket.RawData) => {
    let msg: ExecInput;
    try {
      msg = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8')) as ExecInput;
    } catch {
      closeWithError(socket, new BadRequestError('invalid exec frame: not JSON'));
      return;
    }
    if (handshakePending && msg.version !== undefined) {
      handshakePending = false; // the token would be checked here once ACLs exist
      return;
    }
    if (msg.stdin?.data) stdin.push(Buffer.from(msg.stdin.data, 'base64'));
    if (msg.stdin?.close) stdin.end();
    if (msg.tty_size?.width && msg.tty_size.height) resize.push({ width: msg.tty_size.width, height: msg.tty_size.height });
  });
  socket.on('close', () => {
    ctl.abort();
    stdin.end();
    resize.end();
  });
  const send = (frame: unknown): void => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  };
  const runner = target.runner;
  void (async () => {
    try {
      const task = q['task'] ?? '';
      if (!task) throw new BadRequestError('missing task name: pass task=<name>');
      const command = parseCommand(q['command']);
      const tr = runner.taskRunner(task);
      if (!tr) throw new NotFoundError(`unknown task name ${JSON.stringify(task)}`);
      if (tr.taskState().State !== 'running') throw new BadRequestError(`task ${JSON.stringify(task)} is not running`);
      const tty = q['tty'] === 'true';
      const result = await tr.exec({
        command,
        tty,
        stdin,
        resize,
        signal: ctl.signal,
        stdout: (d) => send({ stdout: { data: Buffer.from(d).toString('base64') } }),
        stderr: (d) => send({ stderr: { data: Buffer.from(d).toString('base64') } }),
      });
      send({ exited: true, result: { exit_code: result.exitCode } });
      if (socket.readyState === WebSocket.OPEN) socket.close(1000, '');
    } catch (err) {
      if (!ctl.signal.aborted) closeWithError(socket, err);
    } finally {
      stdin.end();
      resize.end();
    }
  })();
}

/** Relays the socket to the agent at `address`, which runs the allocation. */
function bridge(address: string, request: FastifyRequest, socket: WebSocket): void {
  const headers: Record<string, string> = { [FORWARDED_HEADER]: '1' };
  const token = request.headers['x-nomad-token'];
  if (typeof token === 'string') headers['X-Nomad-Token'] = token;
  const upstream = new WebSocket(`ws://${address}${request.url}`, { headers });
  const pending: WebSocket.RawData[] = [];
  socket.on('message', (d: WebSocket.RawData, isBinary: boolean) => {
    if (upstream.readyState === WebSocket.OPEN) upstream.send(d, { binary: isBinary });
    else pending.push(d);
  });
  upstream.on('open', () => {
    for (const d of pending.splice(0)) upstream.send(d, { binary: false });
  });
  upstream.on('message', (d: WebSocket.RawData, isBinary: boolean) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(d, { binary: isBinary });
  });
  const validCode = (c: number): number => (c === 1000 || (c >= 3000 && c < 5000) || c === 1011 ? c : 1000);
  upstream.on('close', (code: number, reason: Buffer) => {
    if (socket.readyState === WebSocket.OPEN) socket.close(validCode(code), reason.toString());
  });
  upstream.on('error', (err: Error) => closeWithError(socket, new HttpError(502, `failed to reach the client at ${address}: ${err.message}`)));
  socket.on('close', () => {
    if (upstream.readyState === WebSocket.OPEN || upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
  });
}

/** Registers the websocket plugin and the exec route on the agent's fastify instance (before it listens). */
export function registerExecRoute(fastify: FastifyInstance, deps: ClientRouteDeps): void {
  void fastify.register(websocketPlugin);
  void fastify.register((app, _opts, done) => {
    app.get(EXEC_PATH, { websocket: true }, (socket, request) => handleExec(deps, socket, request));
    done();
  });
}
