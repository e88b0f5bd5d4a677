// Roam's HTTP server: the /v1 API and the web UI's files (routes/ui.ts) on one port, as Nomad serves them on 4646.
// Owns listening, body decoding, query parsing, Nomad's response headers, error → status mapping
// and orderly shutdown. It knows nothing about jobs or nodes: routes come from the caller.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../structs/logger.js';
import { BadRequestError, HttpError, MethodNotAllowedError, PayloadTooLargeError } from './errors.js';
import { parseQueryOptions, type RawQuery } from './query.js';
import type { JsonRoute, Method, Route, RouteRequest, StreamRoute } from './route.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Largest accepted request body in bytes (Nomad has none; Roam defaults to 16 MiB). */
  bodyLimit?: number;
  /** Namespace and region used when a request names none. */
  defaults?: { namespace?: string; region?: string };
  /** Values for X-Nomad-KnownLeader / X-Nomad-LastContact. */
  leaderInfo?: () => { knownLeader: boolean; lastContactMs: number };
}

const ALL_METHODS: Method[] = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];
export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

export class HttpServer {
  private readonly app: FastifyInstance;
  private readonly abortControllers = new Set<AbortController>();
  private listening = false;
  private readonly bodyLimit: number;

  constructor(private readonly opts: HttpServerOptions) {
    const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
    this.bodyLimit = bodyLimit;
    this.app = Fastify({
      logger: false,
      bodyLimit,
      // Blocking queries may hold a request for 5 minutes and more; the socket must not time out first.
      connectionTimeout: 0,
      keepAliveTimeout: 65_000,
      requestTimeout: 0,
      forceCloseConnections: true,
      routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 1024 },
    });
    // Nomad's clients send JSON with any content type (or none); keep the raw text and decode it ourselves.
    this.app.removeAllContentTypeParsers();
    this.app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    this.app.setErrorHandler((err: unknown, _req, res) => this.sendError(res, err));
    this.app.setNotFoundHandler((req, res) => {
      void res.code(404).type('text/plain; charset=utf-8').send(`Invalid URL: no route for ${req.method} ${req.url.split('?')[0]}`);
    });
  }

  addRoutes(routes: Route[]): void {
    // Group by path so a path with several method handlers answers other methods with 405, as Nomad does.
    const byPath = new Map<string, Route[]>();
    for (const r of routes) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
    for (const [path, group] of byPath) {
      this.app.route({
        method: ALL_METHODS,
        url: path,
        handler: async (req, res) => {
          const method = req.method as Method;
          const route = group.find((r) => r.methods.includes(method) || (method === 'HEAD' && r.methods.includes('GET')));
          if (!route) throw new MethodNotAllowedError();
          await this.dispatch(route, req, res);
        },
      });
    }
  }

  private async dispatch(route: Route, req: FastifyRequest, res: FastifyReply): Promise<void> {
    const controller = new AbortController();
    this.abortControllers.add(controller);
    req.raw.on('close', () => controller.abort());
    res.raw.on('close', () => controller.abort());
    try {
      const rr = this.toRouteRequest(req, controller.signal);
      if ('stream' in route) {
        await this.runStream(route, rr, req, res);
        return;
      }
      await this.runJson(route, rr, res);
    } finally {
      this.abortControllers.delete(controller);
    }
  }

  private toRouteRequest(req: FastifyRequest, signal: AbortSignal): RouteRequest {
    const rawQuery = (req.query ?? {}) as RawQuery;
    const rawBytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const rawBody = rawBytes.toString('utf8');
    let decoded = false;
    let body: unknown;
    const auth = req.headers.authorization;
    const tokenHeader = req.headers['x-nomad-token'];
    const token = (Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader) ?? (auth?.startsWith('Bearer ') ? auth.slice(7) : '');
    return {
      method: req.method as Method,
      url: req.url,
      params: decodeParams(req.params as Record<string, string>),
      query: parseQueryOptions(rawQuery, this.opts.defaults),
      rawQuery,
      get body(): unknown {
        if (!decoded) {
          decoded = true;
          if (rawBody.trim() !== '') {
            try {
              body = JSON.parse(rawBody);
            } catch (err) {
              throw new BadRequestError(`Failed to decode request body: ${(err as Error).message}`);
            }
          }
        }
        return body;
      },
      rawBody,
      rawBytes,
      headers: req.headers,
      token,
      signal,
    };
  }

  private async runJson(route: JsonRoute, rr: RouteRequest, res: FastifyReply): Promise<void> {
    const out = await route.handler(rr);
    const leader = this.opts.leaderInfo?.() ?? { knownLeader: true, lastContactMs: 0 };
    res.header('X-Nomad-KnownLeader', String(leader.knownLeader));
    res.header('X-Nomad-LastContact', String(leader.lastContactMs));
    if (out.index !== undefined) res.header('X-Nomad-Index', String(out.index));
    for (const [k, v] of Object.entries(out.headers ?? {})) res.header(k, v);
    const text = typeof out.body === 'string' && out.headers?.['Content-Type']?.startsWith('text/') ? out.body : JSON.stringify(out.body ?? null, null, rr.query.pretty ? 4 : undefined);
    await res.code(out.status ?? 200).type(out.headers?.['Content-Type'] ?? 'application/json').send(text);
  }

  private async runStream(route: StreamRoute, rr: RouteRequest, req: FastifyRequest, res: FastifyReply): Promise<void> {
    res.hijack();
    try {
      await route.stream(rr, { req: req.raw, res: res.raw });
    } catch (err) {
      if (!res.raw.headersSent) {
        const { status, message } = errorStatus(err, this.opts.logger, this.bodyLimit);
        res.raw.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.raw.end(message);
      } else {
        res.raw.destroy();
      }
    }
  }

  private sendError(res: FastifyReply, err: unknown): void {
    const { status, message } = errorStatus(err, this.opts.logger, this.bodyLimit);
    void res.code(status).type('text/plain; charset=utf-8').send(message);
  }

  /** Direct access for plugins that need fastify itself (websockets, static UI files). */
  get fastify(): FastifyInstance {
    return this.app;
  }

  async listen(): Promise<{ host: string; port: number }> {
    await this.app.listen({ host: this.opts.host, port: this.opts.port });
    this.listening = true;
    const addr = this.app.server.address();
    if (addr === null || typeof addr === 'string') return { host: this.opts.host, port: this.opts.port };
    return { host: addr.address, port: addr.port };
  }

  async close(): Promise<void> {
    for (const c of this.abortControllers) c.abort();
    if (this.listening || this.app.server.listening) await this.app.close();
    this.listening = false;
  }
}

function decodeParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = v;
  return out;
}

function errorStatus(err: unknown, logger: Logger, bodyLimit: number): { status: number; message: string } {
  if (err instanceof HttpError) return { status: err.status, message: err.message };
  const code = (err as { code?: string; statusCode?: number }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, message: new PayloadTooLargeError(bodyLimit).message };
  const statusCode = (err as { statusCode?: number }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return { status: statusCode, message: (err as Error).message };
  logger.error('unexpected error handling request', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  return { status: 500, message: err instanceof Error ? err.message : String(err) };
}
