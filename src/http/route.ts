// The contract between the HTTP server and the code behind each route: a route names its methods
// and path (find-my-way syntax: `/v1/job/:id`, `/v1/job/*`) and a handler that receives a parsed,
// framework-free request and returns a reply. Handlers never touch fastify; streaming routes (event
// stream, logs, exec) get the raw request/response through `stream` instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueryOptions, RawQuery } from './query.js';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';

export interface RouteRequest {
  method: Method;
  url: string;
  params: Record<string, string>;
  query: QueryOptions;
  rawQuery: RawQuery;
  /**
   * The request body, decoded from JSON on first access (undefined when empty); reading it throws
   * a 400 when the body is not JSON, so routes that take raw bytes never trip over it.
   */
  readonly body: unknown;
  /** The raw body text (UTF-8). */
  rawBody: string;
  /** The raw body bytes, for routes that take binary input (dispatch payloads). */
  rawBytes: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** From `X-Nomad-Token` or `Authorization: Bearer`. */
  token: string;
  /** Aborted when the client goes away; blocking queries stop waiting on it. */
  signal: AbortSignal;
}

export interface RouteReply {
  body: unknown;
  /** The state index the result reflects, sent as X-Nomad-Index. */
  index?: number;
  status?: number;
  headers?: Record<string, string>;
}

export interface JsonRoute {
  methods: Method[];
  path: string;
  handler: (req: RouteRequest) => Promise<RouteReply>;
}

export interface StreamRoute {
  methods: Method[];
  path: string;
  stream: (req: RouteRequest, raw: { req: IncomingMessage; res: ServerResponse }) => Promise<void>;
}

export type Route = JsonRoute | StreamRoute;

export function reply(body: unknown, index?: number): RouteReply {
  return index === undefined ? { body } : { body, index };
}
