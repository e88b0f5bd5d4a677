// Finding the client that runs an allocation, for the /v1/client/* routes: this agent's own client
// role when it runs the allocation; otherwise, on a server, the node the state says it was placed
// on, to which the request is forwarded over HTTP (Nomad forwards client RPCs through servers the
// same way). A forwarded request carries a marker header so it is never forwarded twice.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AllocRunner } from '../../client/allocrunner/alloc-runner.js';
import type { Client } from '../../client/client.js';
import type { Server } from '../../server/server.js';
import type { Logger } from '../../structs/logger.js';
import { BadRequestError, HttpError, NotFoundError } from '../errors.js';
import type { RouteRequest } from '../route.js';

/** What the client routes need from the agent; getters, since the client role starts after the routes are added. */
export interface ClientRouteDeps {
  client(): Client | undefined;
  server(): Server | undefined;
  /** host:port other agents reach this one at (a node with this address is this agent). */
  selfAddress(): string;
  logger: Logger;
}

export const FORWARDED_HEADER = 'x-roam-forwarded';

export type AllocTarget = { kind: 'local'; runner: AllocRunner } | { kind: 'remote'; address: string };

export function locateAlloc(deps: ClientRouteDeps, allocID: string | undefined, headers: IncomingMessage['headers']): AllocTarget {
  if (!allocID) throw new BadRequestError('missing allocation ID');
  const client = deps.client();
  const runner = client?.allocRunner(allocID);
  if (runner) return { kind: 'local', runner };
  const server = deps.server();
  if (server && headers[FORWARDED_HEADER] === undefined) {
    const snap = server.store.snapshot();
    const alloc = snap.alloc(allocID);
    if (alloc) {
      const node = snap.node(alloc.NodeID);
      if (!node) throw new NotFoundError(`Unknown node "${alloc.NodeID}"`);
      const self = node.ID === client?.nodeID || node.HTTPAddr === deps.selfAddress();
      if (!self) {
        if (!node.HTTPAddr) throw new HttpError(500, `node "${node.ID}" has no HTTP address to reach its client at`);
        return { kind: 'remote', address: node.HTTPAddr };
      }
    }
  }
  throw new NotFoundError(`Unknown allocation "${allocID}"`);
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'proxy-connection', 'te', 'trailer']);

/** Forwards the request to the client agent at `address` and pipes its answer (JSON or stream) back. */
export function proxyHttp(address: string, req: RouteRequest, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k.toLowerCase())) headers[k] = v;
  headers[FORWARDED_HEADER] = '1';
  const body = req.rawBody;
  headers['content-length'] = String(Buffer.byteLength(body));
  const url = new URL(req.url, `http://${address}`);
  return new Promise<void>((resolve, reject) => {
    const out = http.request(url, { method: req.method, headers, signal: req.signal }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !HOP_BY_HOP.has(k))));
      answer.pipe(res);
      answer.once('end', () => resolve());
      answer.once('error', () => resolve());
      answer.once('close', () => resolve());
    });
    out.once('error', (err) => {
      if (req.signal.aborted) resolve();
      else if (!res.headersSent) reject(new HttpError(502, `failed to reach the client at ${address}: ${err.message}`));
      else resolve();
    });
    out.end(body);
  });
}

/** Writes a JSON answer on a raw response (the client routes are stream routes so they can be proxied). */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
