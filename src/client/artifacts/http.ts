// HTTP(S) downloads into a file, as go-getter's HttpGetter does for Nomad: the job's `headers`,
// redirects followed (at most 10; credentials are not carried to another host), any non-2xx
// status an error ("bad response code: 404"), no HEAD request first, no .netrc and no
// X-Terraform-Get. The body may not exceed http_max_size, and the caller's signal carries the
// http_read_timeout: when either trips, the request is torn down and the caller removes the file
// (and turns an abort into its reason).
import http from 'node:http';
import https from 'node:https';
import { DownloadError, writeLimited } from './files.js';

const MAX_REDIRECTS = 10;
/** Headers Go's client drops when a redirect leaves the original host. */
const CREDENTIAL_HEADERS = ['authorization', 'www-authenticate', 'cookie', 'cookie2', 'proxy-authorization'];

export interface HttpGetOptions {
  url: string;
  headers: Readonly<Record<string, string>>;
  /** `insecure = true`: do not verify the server's TLS certificate. */
  insecure: boolean;
  maxBytes: number;
  signal: AbortSignal;
}

function request(u: URL, headers: Record<string, string>, insecure: boolean, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const opts: https.RequestOptions = { method: 'GET', headers, signal };
    if (u.protocol === 'https:') opts.rejectUnauthorized = !insecure;
    const req = (u.protocol === 'https:' ? https : http).request(u, opts, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** GETs `opts.url` (following redirects) into the new file `dest`; returns the final URL. */
export async function httpGetFile(opts: HttpGetOptions, dest: string): Promise<URL> {
  let u = new URL(opts.url);
  const origin = u.host;
  let headers: Record<string, string> = { 'user-agent': 'roam-artifact-getter', ...opts.headers };
  for (let hop = 0; ; hop++) {
    const res = await request(u, headers, opts.insecure, opts.signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location !== undefined && status !== 304) {
      res.resume();
      if (hop >= MAX_REDIRECTS) throw new DownloadError(`stopped after ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, u);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new DownloadError(`redirect to an unsupported scheme: ${next.protocol}`);
      if (next.host !== origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.includes(k.toLowerCase())));
      u = next;
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw new DownloadError(`bad response code: ${status}`);
    }
    const tooLarge = `the download is larger than the client's artifact http_max_size (${opts.maxBytes} bytes)`;
    const declared = Number(res.headers['content-length']);
    if (opts.maxBytes > 0 && Number.isFinite(declared) && declared > opts.maxBytes) {
      res.destroy();
      throw new DownloadError(tooLarge);
    }
    try {
      await writeLimited(res, dest, opts.maxBytes, tooLarge, opts.signal);
    } catch (err) {
      res.destroy();
      throw err;
    }
    return u;
  }
}
