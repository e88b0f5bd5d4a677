// Reading dispatch requests: `POST /v1/job/:id/dispatch` takes Nomad's JSON body
// ({Payload: base64, Meta, IdempotencyToken, IdPrefixTemplate, Priority}); `/dispatch/payload`
// takes the payload as the raw body and the rest as query parameters (`meta=k=v`, repeatable;
// `idempotency_token`, `id_prefix_template`, `priority`). Both become a server DispatchRequest.
import type { DispatchRequest } from '../../server/dispatch.js';
import { BadRequestError } from '../errors.js';
import type { RouteRequest } from '../route.js';
import { requireObject, stringParam } from './util.js';

function stringField(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new BadRequestError(`Invalid dispatch request: ${name} must be a string`);
  return v;
}

function metaField(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new BadRequestError('Invalid dispatch request: Meta must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw new BadRequestError(`Invalid dispatch request: Meta[${JSON.stringify(k)}] must be a string`);
    out[k] = val;
  }
  return out;
}

function priorityField(v: unknown): number {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n)) throw new BadRequestError('Invalid dispatch request: Priority must be an integer');
  return n;
}

export function dispatchFromJSON(req: RouteRequest, jobID: string): DispatchRequest {
  const body = req.body === undefined ? {} : requireObject(req.body, 'a dispatch request ({"Meta": {...}, "Payload": "<base64>"})');
  const payload = stringField(body, 'Payload');
  if (payload !== '' && !/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw new BadRequestError('Invalid dispatch request: Payload must be base64');
  const bodyID = stringField(body, 'JobID');
  if (bodyID !== '' && bodyID !== jobID) throw new BadRequestError('Job ID does not match');
  return {
    namespace: req.query.namespace,
    jobID,
    payload: Buffer.from(payload, 'base64'),
    meta: metaField(body['Meta']),
    idempotencyToken: stringField(body, 'IdempotencyToken'),
    idPrefixTemplate: stringField(body, 'IdPrefixTemplate'),
    priority: priorityField(body['Priority']),
  };
}

export function dispatchFromRawBody(req: RouteRequest, jobID: string): DispatchRequest {
  const raw = req.rawQuery['meta'];
  const meta: Record<string, string> = {};
  for (const kv of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new BadRequestError(`Invalid meta ${JSON.stringify(kv)}: expected key=value`);
    meta[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return {
    namespace: req.query.namespace,
    jobID,
    payload: req.rawBytes,
    meta,
    idempotencyToken: stringParam(req, 'idempotency_token'),
    idPrefixTemplate: stringParam(req, 'id_prefix_template'),
    priority: priorityField(stringParam(req, 'priority')),
  };
}
