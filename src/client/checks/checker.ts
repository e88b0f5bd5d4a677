// Runs one Nomad-provider service check (Nomad's client/serviceregistration/checks client.go and
// result.go): resolves the address from the service's port label and the allocation's ports, then
// an HTTP request (any status below 400 is success, as Nomad's checker decides; the body of a
// non-200 answer becomes the output, at most 3 KiB) or a TCP connect, within the check's timeout.
// The outcome is always a result, never an exception: errors become a "failure" with Go's wording.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { checkMode, type CheckMode, type CheckQueryResult } from '../../structs/checks.js';
import type { AllocatedPortMapping, NetworkResource } from '../../structs/resources.js';
import type { ServiceCheck } from '../../structs/services.js';
import { ROAM_VERSION } from '../../structs/version.js';

/** The part of a check that its execution needs (Nomad's checks.Query). */
export interface CheckQuery {
  mode: CheckMode;
  type: string;
  timeoutMs: number;
  addressMode: string;
  portLabel: string;
  protocol: string;
  path: string;
  method: string;
  headers: Record<string, string[] | null> | null;
  body: string;
  tlsSkipVerify: boolean;
}

/** Where a check runs and what its result is filed under (Nomad's checks.QueryContext). */
export interface QueryContext {
  id: string;
  /** The service's own `address`, if set. */
  customAddress: string;
  servicePortLabel: string;
  ports: readonly AllocatedPortMapping[];
  networks: readonly NetworkResource[];
  /** The allocation's name. */
  group: string;
  task: string;
  service: string;
  check: string;
}

/** Nomad's GetCheckQuery: an http check without protocol speaks http. */
export function checkQuery(c: ServiceCheck): CheckQuery {
  return {
    mode: checkMode(c),
    type: c.Type,
    timeoutMs: c.Timeout / 1e6,
    addressMode: c.AddressMode,
    portLabel: c.PortLabel,
    protocol: c.Type === 'http' && c.Protocol === '' ? 'http' : c.Protocol,
    path: c.Path,
    method: c.Method,
    headers: c.Header,
    body: c.Body,
    tlsSkipVerify: c.TLSSkipVerify,
  };
}

/** The result a check has before it first runs (Nomad's checks.Stub). */
export function pendingResult(id: string, mode: CheckMode, nowSec: number, group: string, task: string, service: string, check: string): CheckQueryResult {
  return withCoordinates({ ID: id, Mode: mode, Status: 'pending', Output: 'nomad: waiting to run', Timestamp: nowSec, Group: '', Service: '', Check: '' }, { group, task, service, check });
}

function withCoordinates(r: CheckQueryResult, c: { group: string; task: string; service: string; check: string }): CheckQueryResult {
  // Nomad's field order; StatusCode and Task are omitted when empty (json omitempty).
  return {
    ID: r.ID,
    Mode: r.Mode,
    Status: r.Status,
    ...(r.StatusCode ? { StatusCode: r.StatusCode } : {}),
    Output: r.Output,
    Timestamp: r.Timestamp,
    Group: c.group,
    ...(c.task ? { Task: c.task } : {}),
    Service: c.service,
    Check: c.check,
  };
}

export interface CheckAddress {
  host: string;
  port: number;
}

/** host:port as Go's net.JoinHostPort writes it (IPv6 in brackets); just the host without a port. */
export function joinHostPort(a: CheckAddress): string {
  if (a.port <= 0) return a.host;
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

function networkPort(networks: readonly NetworkResource[], label: string): { HostIP: string; Value: number } | undefined {
  for (const n of networks) {
    for (const p of [...(n.ReservedPorts ?? []), ...(n.DynamicPorts ?? [])]) if (p.Label === label) return { HostIP: n.IP, Value: p.Value };
  }
  return undefined;
}

/**
 * The address a check dials (Nomad's checks address() over serviceregistration.GetAddress): the
 * check's address_mode, or "auto" when the service has a custom address and "host" otherwise;
 * the check's port label, or the service's. Throws with Nomad's message when it cannot resolve.
 */
export function checkAddress(qc: QueryContext, q: CheckQuery): CheckAddress {
  const mode = q.addressMode || (qc.customAddress ? 'auto' : 'host');
  const label = q.portLabel || qc.servicePortLabel;
  const mapping = qc.ports.find((p) => p.Label === label);
  switch (mode) {
    case 'auto': {
      if (!qc.customAddress) return hostAddress(qc, label, mapping);
      if (label === '') return { host: qc.customAddress, port: 0 };
      if (mapping) return { host: qc.customAddress, port: mapping.Value };
      const port = goAtoi(label);
      if (port === undefined) throw new Error(`invalid port: ${JSON.stringify(label)}: not a valid port mapping or numeric port`);
      return { host: qc.customAddress, port };
    }
    case 'host':
      if (qc.customAddress) throw new Error('cannot use custom advertise address with "host" address mode');
      return hostAddress(qc, label, mapping);
    case 'driver':
      if (qc.customAddress) throw new Error('cannot use custom advertise address with "driver" address mode');
      throw new Error('cannot use address_mode="driver": no driver network exists');
    case 'alloc':
    case 'alloc_ipv6':
      if (qc.customAddress) throw new Error('cannot use custom advertise address with "alloc" address mode');
      throw new Error('cannot use address_mode="alloc": no allocation network status reported');
    default:
      throw new Error(`invalid address mode ${JSON.stringify(mode)}`);
  }
}

function hostAddress(qc: QueryContext, label: string, mapping: AllocatedPortMapping | undefined): CheckAddress {
  if (label === '') return qc.networks.length === 1 ? { host: qc.networks[0]?.IP ?? '', port: 0 } : { host: '', port: 0 };
  if (mapping) return { host: mapping.HostIP, port: mapping.Value };
  const legacy = networkPort(qc.networks, label);
  if (legacy && legacy.Value > 0) return { host: legacy.HostIP, port: legacy.Value };
  const port = goAtoi(label);
  if (port === undefined) throw new Error(`invalid port ${JSON.stringify(label)}: port label not found`);
  if (port <= 0) throw new Error(`invalid port: ${JSON.stringify(label)}: port must be >0`);
  // A literal port with no address: the local system, as Go dials ":port".
  return { host: '', port };
}

/** Go's strconv.Atoi for what port labels can hold. */
function goAtoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** Nomad's outputSizeLimit: the output of an http check keeps at most 3 KiB of the body. */
export const OUTPUT_SIZE_LIMIT = 3 * 1024;
const MAX_REDIRECTS = 10;

export interface CheckerOptions {
  /** Epoch ms; results carry Unix seconds. */
  now?: () => number;
}

/** Executes checks (Nomad's checks.Checker). Stateless between calls; safe to share. */
export class Checker {
  private readonly now: () => number;

  constructor(opts: CheckerOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** Runs the check once; `signal` interrupts it (the observer stopping). */
  async run(qc: QueryContext, q: CheckQuery, signal?: AbortSignal): Promise<CheckQueryResult> {
    const timeout = AbortSignal.timeout(Math.max(1, q.timeoutMs));
    const ctx = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const base: CheckQueryResult = { ID: qc.id, Mode: q.mode, Status: 'pending', Output: '', Timestamp: Math.floor(this.now() / 1000), Group: '', Service: '', Check: '' };
    let addr: CheckAddress;
    try {
      addr = checkAddress(qc, q);
    } catch (err) {
      return withCoordinates({ ...base, Status: 'failure', Output: (err as Error).message }, qc);
    }
    const r = q.type === 'http' ? await this.checkHTTP(q, addr, base, ctx, timeout) : await this.checkTCP(addr, base, ctx, timeout);
    return withCoordinates(r, qc);
  }

  private async checkTCP(addr: CheckAddress, r: CheckQueryResult, ctx: AbortSignal, timeout: AbortSignal): Promise<CheckQueryResult> {
    if (addr.port <= 0) return { ...r, Status: 'failure', Output: `dial tcp: address ${addr.host}: missing port in address` };
    try {
      await dialTCP(addr, ctx);
    } catch (err) {
      return { ...r, Status: 'failure', Output: dialError(addr, err, ctx, timeout) };
    }
    return { ...r, Status: 'success', Output: 'nomad: tcp ok' };
  }

  private async checkHTTP(q: CheckQuery, addr: CheckAddress, r: CheckQueryResult, ctx: AbortSignal, timeout: AbortSignal): Promise<CheckQueryResult> {
    let url: URL;
    try {
      url = new URL(q.path, `${q.protocol}://${joinHostPort({ host: addr.host || 'localhost', port: addr.port })}`);
    } catch (err) {
      return { ...r, Status: 'failure', Output: (err as Error).message };
    }
    const method = (q.method || 'GET').toUpperCase();
    const headers: Record<string, string | string[]> = {};
    for (const [k, vs] of Object.entries(q.headers ?? {})) if (vs && vs.length > 0) headers[k.toLowerCase()] = vs.length === 1 ? (vs[0] ?? '') : vs;
    headers['user-agent'] ??= `Roam/${ROAM_VERSION}`;
    let answer: HttpAnswer;
    try {
      answer = await httpRequest(url, method, headers, q.body, q.tlsSkipVerify, ctx);
    } catch (err) {
      return { ...r, Status: 'failure', Output: `nomad: ${httpError(method, url, addr, err, ctx, timeout)}` };
    }
    if (answer.status === 200) return { ...r, Status: 'success', StatusCode: 200, Output: 'nomad: http ok' };
    return { ...r, Status: answer.status < 400 ? 'success' : 'failure', StatusCode: answer.status, Output: answer.body };
  }
}

function dialTCP(addr: CheckAddress, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const sock = net.connect({ host: addr.host || 'localhost', port: addr.port });
    const onAbort = (): void => {
      sock.destroy();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      sock.destroy();
      resolve();
    });
    sock.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      sock.destroy();
      reject(err);
    });
  });
}

/** How Go's net.Dialer words a failed dial ("dial tcp 127.0.0.1:1: connect: connection refused"). */
function dialError(addr: CheckAddress, err: unknown, ctx: AbortSignal, timeout: AbortSignal): string {
  const where = `dial tcp ${joinHostPort(addr)}`;
  if (ctx.aborted) return timeout.aborted ? `${where}: i/o timeout` : `${where}: operation was canceled`;
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `${where}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `${where}: connect: no route to host`;
    case 'ENETUNREACH':
      return `${where}: connect: network is unreachable`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${addr.host}: no such host`;
    default:
      return `${where}: ${e.message}`;
  }
}

/** Go's url.Error for a failed request: `Get "http://…": <cause>`. */
function httpError(method: string, url: URL, addr: CheckAddress, err: unknown, ctx: AbortSignal, timeout: AbortSignal): string {
  const op = method.charAt(0) + method.slice(1).toLowerCase();
  let cause: string;
  if (ctx.aborted) cause = timeout.aborted ? 'context deadline exceeded' : 'context canceled';
  else if (err instanceof RedirectLimitError) cause = err.message;
  else if ((err as NodeJS.ErrnoException).syscall === 'connect' || (err as NodeJS.ErrnoException).syscall === 'getaddrinfo') cause = dialError(addr, err, ctx, timeout);
  else cause = (err as Error).message;
  return `${op} ${JSON.stringify(url.toString())}: ${cause}`;
}

class RedirectLimitError extends Error {}

interface HttpAnswer {
  status: number;
  /** Up to OUTPUT_SIZE_LIMIT bytes of the body; empty for 200. */
  body: string;
}

/** One request, following redirects as Go's http.Client does (at most 10; 301/302/303 turn into GET). */
async function httpRequest(url: URL, method: string, headers: Record<string, string | string[]>, body: string, insecure: boolean, signal: AbortSignal): Promise<HttpAnswer> {
  let current = url;
  let m = method;
  let b = body;
  for (let hops = 0; ; hops++) {
    const res = await sendOnce(current, m, headers, b, insecure, signal);
    const location = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(res.statusCode ?? 0) || !location) return readAnswer(res, signal);
    res.resume();
    if (hops + 1 >= MAX_REDIRECTS) throw new RedirectLimitError(`stopped after ${MAX_REDIRECTS} redirects`);
    current = new URL(location, current);
    if (res.statusCode !== 307 && res.statusCode !== 308 && m !== 'HEAD') {
      m = 'GET';
      b = '';
    }
  }
}

function sendOnce(url: URL, method: string, headers: Record<string, string | string[]>, body: string, insecure: boolean, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (body !== '') h['content-length'] = String(Buffer.byteLength(body));
    const opts: https.RequestOptions = { method, headers: h, signal, agent: false };
    if (url.protocol === 'https:') opts.rejectUnauthorized = !insecure;
    const req = (url.protocol === 'https:' ? https : http).request(url, opts, resolve);
    req.once('error', reject);
    req.end(body === '' ? undefined : body);
  });
}

function readAnswer(res: http.IncomingMessage, signal: AbortSignal): Promise<HttpAnswer> {
  const status = res.statusCode ?? 0;
  if (status === 200) {
    res.destroy();
    return Promise.resolve({ status, body: '' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      signal.removeEventListener('abort', done);
      res.destroy();
      resolve({ status, body: Buffer.concat(chunks).subarray(0, OUTPUT_SIZE_LIMIT).toString('utf8') });
    };
    signal.addEventListener('abort', done, { once: true });
    res.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= OUTPUT_SIZE_LIMIT) done();
    });
    res.once('end', done);
    res.once('error', done);
    res.once('close', done);
  });
}
