// The UI's only way to the cluster: fetch against the agent's /v1 API on the same origin. Errors
// become ApiError with the HTTP status and Nomad's plain-text message, so pages can say what went
// wrong and what to do.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly url: string,
  ) {
    super(message);
  }
}

export interface ApiResult<T> {
  data: T;
  index: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  if (parts.length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

async function errorFrom(res: Response, url: string): Promise<ApiError> {
  let text = '';
  try {
    text = (await res.text()).trim();
  } catch {
    // body unreadable: the status says enough
  }
  return new ApiError(res.status, text || `${res.status} ${res.statusText}`, url);
}

/** One request; JSON in and out unless `raw` is given. */
export async function request<T>(method: string, url: string, opts: { body?: unknown; raw?: string; signal?: AbortSignal } = {}): Promise<ApiResult<T>> {
  const init: RequestInit = { method, headers: {} };
  if (opts.signal) init.signal = opts.signal;
  if (opts.raw !== undefined) init.body = opts.raw;
  else if (opts.body !== undefined) {
    init.body = JSON.stringify(opts.body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, `Cannot reach the agent (${err instanceof Error ? err.message : String(err)}). Is it still running?`, url);
  }
  if (!res.ok) throw await errorFrom(res, url);
  const index = Number(res.headers.get('X-Nomad-Index') ?? '0') || 0;
  const text = await res.text();
  const data = (text === '' ? null : JSON.parse(text)) as T;
  return { data, index };
}

export const get = <T>(url: string, signal?: AbortSignal): Promise<ApiResult<T>> => request<T>('GET', url, signal ? { signal } : {});
export const put = <T>(url: string, body?: unknown): Promise<ApiResult<T>> => request<T>('PUT', url, body === undefined ? {} : { body });
export const del = <T>(url: string): Promise<ApiResult<T>> => request<T>('DELETE', url);

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
