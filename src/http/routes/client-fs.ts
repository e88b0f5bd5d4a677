// The allocation filesystem routes, Nomad's /v1/client/fs/*: `logs` (a task's rotated
// stdout/stderr files read in order, optionally followed), `stream` (one file, optionally
// followed), `ls`, `stat`, `cat`, `readat`. Streams are Nomad's StreamFrame JSON objects written
// back to back (`{"Offset":N,"Data":"<base64>","File":"alloc/logs/web.stdout.0"}`, `{}` as the
// heartbeat), or the raw bytes with `plain=true`. Every path is confined to the allocation
// directory (`..` and symlinks leading out are refused) and task secrets are never served.
import { once } from 'node:events';
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import type { AllocRunner } from '../../client/allocrunner/alloc-runner.js';
import { isZeroTime } from '../../structs/time.js';
import { BadRequestError, NotFoundError, PermissionDeniedError } from '../errors.js';
import { firstParam } from '../query.js';
import type { Route, RouteRequest } from '../route.js';
import { locateAlloc, proxyHttp, sendJson, type ClientRouteDeps } from './client-target.js';
import { boolParam, stringParam } from './util.js';

/** Nomad's streamFrameSize, streamHeartbeatRate; the poll interval bounds follow latency. */
const FRAME_SIZE = 64 * 1024;
const HEARTBEAT_MS = 1000;
const POLL_MS = 100;
const DELETE_EVENT = 'file deleted';
const TRUNCATE_EVENT = 'file truncated';

export interface AllocFileInfo {
  Name: string;
  IsDir: boolean;
  Size: number;
  FileMode: string;
  ModTime: string;
  ContentType: string;
}

interface StreamFrame {
  Offset?: number;
  Data?: Buffer;
  File?: string;
  FileEvent?: string;
}

/** Writes frames (or plain bytes) with backpressure, and `{}` heartbeats while idle. */
class FrameWriter {
  private lastWrite = Date.now();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly plain: boolean,
    private readonly signal: AbortSignal,
  ) {
    res.writeHead(200, { 'Content-Type': plain ? 'text/plain; charset=utf-8' : 'application/json', 'Cache-Control': 'no-cache' });
    if (!plain) {
      this.timer = setInterval(() => {
        if (Date.now() - this.lastWrite >= HEARTBEAT_MS) void this.write('{}');
      }, HEARTBEAT_MS);
    }
  }

  async frame(f: StreamFrame): Promise<void> {
    if (this.plain) {
      if (f.Data?.length) await this.write(f.Data);
      return;
    }
    // Nomad's StreamFrame has omitempty on every field: a heartbeat is `{}`.
    const o: Record<string, unknown> = {};
    if (f.Offset) o['Offset'] = f.Offset;
    if (f.Data?.length) o['Data'] = f.Data.toString('base64');
    if (f.File) o['File'] = f.File;
    if (f.FileEvent) o['FileEvent'] = f.FileEvent;
    await this.write(JSON.stringify(o));
  }

  private async write(chunk: string | Buffer): Promise<void> {
    this.lastWrite = Date.now();
    if (this.res.destroyed || this.signal.aborted) return;
    if (!this.res.write(chunk)) {
      try {
        await once(this.res, 'drain', { signal: this.signal });
      } catch {
        // the client went away
      }
    }
  }

  end(): void {
    if (this.timer) clearInterval(this.timer);
    if (!this.res.destroyed) this.res.end();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

interface StreamFileOptions {
  follow: boolean;
  signal: AbortSignal;
  /** Bytes to send at most (0: no limit). */
  limit?: number;
  /** Follow until this turns true (a newer log file exists), then read once more and stop. */
  moveOn?: () => boolean;
}

/**
 * Streams `abs` from `offset` (as Nomad's streamFile): to EOF, or, following, waits for more data,
 * restarts from 0 when the file is truncated and stops when it is deleted or `moveOn` says so.
 */
async function streamFile(abs: string, name: string, offset: number, opts: StreamFileOptions, out: FrameWriter): Promise<void> {
  const fh = await fs.promises.open(abs, 'r');
  try {
    const buf = Buffer.alloc(FRAME_SIZE);
    let remaining = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    let stopAfterNextRead = !opts.follow;
    let event = '';
    for (;;) {
      if (opts.signal.aborted) return;
      const want = Math.min(buf.length, remaining);
      const { bytesRead } = want > 0 ? await fh.read(buf, 0, want, offset) : { bytesRead: 0 };
      offset += bytesRead;
      remaining -= bytesRead;
      if (bytesRead > 0 || event) {
        await out.frame({ File: name, Data: Buffer.from(buf.subarray(0, bytesRead)), Offset: offset, FileEvent: event });
        event = '';
      }
      if (remaining <= 0) return;
      if (bytesRead > 0) continue;
      if (stopAfterNextRead) return;
      let size: number;
      try {
        size = (await fs.promises.stat(abs)).size;
      } catch {
        await out.frame({ File: name, Offset: offset, FileEvent: DELETE_EVENT });
        return;
      }
      if (size < offset) {
        offset = 0;
        event = TRUNCATE_EVENT;
        continue;
      }
      if (size > offset) continue;
      // Read once more after the next file appears, so nothing written before the rotation is lost.
      if (opts.moveOn?.()) {
        stopAfterNextRead = true;
        continue;
      }
      await sleep(POLL_MS, opts.signal);
    }
  } finally {
    await fh.close();
  }
}

interface LogEntry {
  idx: number;
  name: string;
  size: number;
}

function logEntries(logDir: string, task: string, type: string): LogEntry[] {
  const prefix = `${task}.${type}.`;
  const out: LogEntry[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(logDir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const idx = name.slice(prefix.length);
    if (!/^\d+$/.test(idx)) continue;
    try {
      const st = fs.statSync(path.join(logDir, name));
      if (st.isFile()) out.push({ idx: Number(idx), name, size: st.size });
    } catch {
      // rotated away meanwhile
    }
  }
  return out.sort((a, b) => a.idx - b.idx);
}

/** Nomad's findClosest: the log file at (or after) `desiredIdx` and the offset to open it at; a negative offset counts back from the end, across files. */
export function findClosest(entries: LogEntry[], desiredIdx: number, desiredOffset: number): { entry: LogEntry; offset: number } {
  let i = entries.findIndex((e) => e.idx >= desiredIdx);
  if (i < 0) i = entries.length - 1;
  let offset = desiredOffset;
  for (;;) {
    const size = entries[i]?.size ?? 0;
    if (offset === 0) break;
    if (offset < 0) {
      if (size + offset >= 0) {
        offset = size + offset;
        break;
      }
      if (i === 0) {
        offset = 0;
        break;
      }
      offset = size + offset;
      i--;
    } else {
      if (offset <= size) break;
      if (i === entries.length - 1) {
        offset = size;
        break;
      }
      offset -= size;
      i++;
    }
  }
  const entry = entries[i];
  if (!entry) throw new Error('findClosest: no log entries');
  return { entry, offset };
}

function intParam(req: RouteRequest, name: string, def: number): number {
  const raw = firstParam(req.rawQuery, name);
  if (raw === undefined || raw === '') return def;
  if (!/^-?\d+$/.test(raw)) throw new BadRequestError(`failed to parse ${name} field to integer: ${JSON.stringify(raw)}`);
  return Number(raw);
}

function originParam(req: RouteRequest): 'start' | 'end' {
  const origin = stringParam(req, 'origin') || 'start';
  if (origin !== 'start' && origin !== 'end') throw new BadRequestError('origin must be start or end');
  return origin;
}

async function streamLogs(runner: AllocRunner, req: RouteRequest, res: ServerResponse): Promise<void> {
  const task = stringParam(req, 'task');
  if (!task) throw new BadRequestError('must provide task name');
  const type = stringParam(req, 'type');
  if (type !== 'stdout' && type !== 'stderr') throw new BadRequestError('must provide log type (stdout/stderr)');
  const origin = originParam(req);
  const follow = boolParam(req, 'follow');
  const plain = boolParam(req, 'plain');
  const tr = runner.taskRunner(task);
  if (!tr) throw new BadRequestError(`unknown task name ${JSON.stringify(task)}`);
  if (isZeroTime(tr.taskState().StartedAt)) throw new NotFoundError(`task ${JSON.stringify(task)} not started yet. No logs available`);
  const logDir = runner.allocDir.logDir;
  const notFound = (): NotFoundError => new NotFoundError(`log entry for task ${JSON.stringify(task)} and log type ${JSON.stringify(type)} not found`);
  if (logEntries(logDir, task, type).length === 0) throw notFound();

  let nextIdx = origin === 'start' ? 0 : Number.MAX_SAFE_INTEGER;
  let offset = origin === 'end' ? -intParam(req, 'offset', 0) : intParam(req, 'offset', 0);
  const out = new FrameWriter(res, plain, req.signal);
  try {
    while (!req.signal.aborted) {
      const entries = logEntries(logDir, task, type);
      const last = entries[entries.length - 1];
      if (!last) return;
      const { entry, offset: openAt } = findClosest(entries, nextIdx, offset);
      // Not following: stop at the newest file that existed when this pass listed them.
      const final = !follow && entry.idx === last.idx;
      const moveOn = (): boolean => logEntries(logDir, task, type).some((e) => e.idx > entry.idx);
      try {
        await streamFile(path.join(logDir, entry.name), `alloc/logs/${entry.name}`, openAt, { follow: !final, signal: req.signal, moveOn }, out);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // rotated out from under us
        throw err;
      }
      if (final) return;
      offset = 0;
      nextIdx = entry.idx + 1;
    }
  } finally {
    out.end();
  }
}

const TYPE_LETTERS: [number, string][] = [
  [fs.constants.S_IFDIR, 'd'],
  [fs.constants.S_IFLNK, 'L'],
  [fs.constants.S_IFBLK, 'D'],
  [fs.constants.S_IFIFO, 'p'],
  [fs.constants.S_IFSOCK, 'S'],
];

/** Go's os.FileMode.String() for a stat mode: `drwxr-xr-x`, `-rw-r--r--`, `dtrwxrwxrwx`, `Lrwxrwxrwx`. */
export function goFileMode(mode: number): string {
  const type = mode & fs.constants.S_IFMT;
  let s = '';
  for (const [bits, letter] of TYPE_LETTERS) if (type === bits) s += letter;
  if (type === fs.constants.S_IFCHR) s += 'Dc';
  if (mode & 0o4000) s += 'u';
  if (mode & 0o2000) s += 'g';
  if (mode & 0o1000) s += 't';
  if (s === '') s = '-';
  const rwx = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? rwx[i] : '-';
  return s;
}

function fileInfo(name: string, st: fs.Stats): AllocFileInfo {
  return { Name: name, IsDir: st.isDirectory(), Size: st.size, FileMode: goFileMode(st.mode), ModTime: st.mtime.toISOString(), ContentType: st.isDirectory() ? '' : 'application/octet-stream' };
}

/** A user-supplied path inside the alloc dir, refused when it leads out (also through symlinks) or into a task's secrets. */
export function resolveAllocPath(runner: AllocRunner, rel: string): string {
  const escape = (): PermissionDeniedError => new PermissionDeniedError(`Path ${JSON.stringify(rel)} escapes the allocation directory`);
  let p: string;
  try {
    p = runner.allocDir.resolve(rel);
  } catch {
    throw escape();
  }
  const root = runner.allocDir.dir;
  const parts = path.relative(root, p).split(path.sep);
  if (parts.length >= 2 && parts[1] === 'secrets' && parts[0] !== 'alloc') throw new PermissionDeniedError(`Reading secret file prohibited: ${rel}`);
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`stat ${rel}: no such file or directory`);
    throw err;
  }
  const realRoot = fs.realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw escape();
  return real;
}

function pathParam(req: RouteRequest): string {
  return stringParam(req, 'path') || '/';
}

function openRegularFile(runner: AllocRunner, rel: string): { abs: string; size: number } {
  const abs = resolveAllocPath(runner, rel);
  const st = fs.statSync(abs);
  if (st.isDirectory()) throw new BadRequestError(`file ${JSON.stringify(rel)} is a directory`);
  return { abs, size: st.size };
}

async function pipeRange(abs: string, start: number, end: number | undefined, res: ServerResponse, signal: AbortSignal): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  if (end !== undefined && end < start) {
    res.end();
    return;
  }
  const rs = fs.createReadStream(abs, { start, ...(end !== undefined ? { end } : {}), signal });
  try {
    for await (const chunk of rs) {
      if (!res.write(chunk as Buffer)) await once(res, 'drain', { signal });
    }
  } catch {
    // client gone or file vanished: end what was sent
  }
  res.end();
}

type LocalHandler = (runner: AllocRunner, req: RouteRequest, res: ServerResponse) => Promise<void> | void;

/** A client route: served here when this agent runs the allocation, forwarded to its node otherwise. */
export function clientAllocRoute(deps: ClientRouteDeps, methods: Route['methods'], path_: string, handler: LocalHandler): Route {
  return {
    methods,
    path: path_,
    stream: async (req, { req: rawReq, res }) => {
      const target = locateAlloc(deps, req.params['alloc'] ?? req.params['id'], rawReq.headers);
      if (target.kind === 'remote') return proxyHttp(target.address, req, res);
      await handler(target.runner, req, res);
    },
  };
}

export function clientFsRoutes(deps: ClientRouteDeps): Route[] {
  return [
    clientAllocRoute(deps, ['GET'], '/v1/client/fs/logs/:alloc', streamLogs),
    clientAllocRoute(deps, ['GET'], '/v1/client/fs/ls/:alloc', (runner, req, res) => {
      const abs = resolveAllocPath(runner, pathParam(req));
      if (!fs.statSync(abs).isDirectory()) throw new BadRequestError(`${JSON.stringify(pathParam(req))} is not a directory`);
      const entries = fs
        .readdirSync(abs)
        .sort()
        .flatMap((name) => {
          try {
            return [fileInfo(name, fs.lstatSync(path.join(abs, name)))];
          } catch {
            return [];
          }
        });
      sendJson(res, entries);
    }),
    clientAllocRoute(deps, ['GET'], '/v1/client/fs/stat/:alloc', (runner, req, res) => {
      const rel = pathParam(req);
      const abs = resolveAllocPath(runner, rel);
      sendJson(res, fileInfo(path.basename(abs), fs.statSync(abs)));
    }),
    clientAllocRoute(deps, ['GET'], '/v1/client/fs/cat/:alloc', async (runner, req, res) => {
      const { abs } = openRegularFile(runner, pathParam(req));
      await pipeRange(abs, 0, undefined, res, req.signal);
    }),
    clientAllocRoute(deps, ['GET'], '/v1/client/fs/readat/:alloc', async (runner, req, res) => {
      const { abs } = openRegularFile(runner, pathParam(req));
      const offset = Math.max(0, intParam(req, 'offset', 0));
      const limit = intParam(req, 'limit', -1);
      await pipeRange(abs, offset, limit >= 0 ? offset + limit - 1 : undefined, res, req.signal);
    }),
    clientAllocRoute(deps, ['GET'], '/v1/client/fs/stream/:alloc', async (runner, req, res) => {
      const rel = pathParam(req);
      const { abs, size } = openRegularFile(runner, rel);
      const origin = originParam(req);
      const requested = intParam(req, 'offset', 0);
      const offset = origin === 'end' ? Math.max(0, size - requested) : requested;
      const out = new FrameWriter(res, boolParam(req, 'plain'), req.signal);
      try {
        const name = path.relative(runner.allocDir.dir, abs);
        const follow = firstParam(req.rawQuery, 'follow') === undefined || boolParam(req, 'follow');
        await streamFile(abs, name, offset, { follow, signal: req.signal, limit: intParam(req, 'limit', 0) }, out);
      } finally {
        out.end();
      }
    }),
  ];
}
