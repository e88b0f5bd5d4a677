// Getting a task's image (Nomad's createImage): a present image with a tag other than `latest`
// is used as is; `latest`, `force_pull` or a missing image is pulled (POST /images/create) with
// the task's `auth` or the plugin's docker config file, reporting progress as driver events and
// failing with Docker's own reason when the image cannot be had.
import fs from 'node:fs';
import type { Logger } from '../../structs/logger.js';
import { DriverError } from '../driver.js';
import type { DockerClient } from './api.js';
import { DockerApiError, readAll, readJsonLines } from './api.js';
import type { DockerTaskConfig, PluginConfig } from './config.js';
import { parseImageRef } from './config.js';

const PROGRESS_EVERY_MS = 10_000;

/** The registry host of an image reference (Docker Hub unless the first part looks like a host). */
export function registryOf(repo: string): string {
  const first = repo.split('/')[0] ?? '';
  if (repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return first;
  return 'https://index.docker.io/v1/';
}

/** X-Registry-Auth for a pull: the task's auth block, else a matching entry of the plugin's docker config file. */
export function registryAuth(tc: DockerTaskConfig, configFile: string, repo: string): string | undefined {
  let auth: Record<string, string> | undefined;
  if (tc.auth) {
    auth = { username: tc.auth.username, password: tc.auth.password, email: tc.auth.email, serveraddress: tc.auth.serverAddress || registryOf(repo) };
  } else if (configFile) {
    let parsed: { auths?: Record<string, { auth?: string }> };
    try {
      parsed = JSON.parse(fs.readFileSync(configFile, 'utf8')) as typeof parsed;
    } catch (e) {
      throw new DriverError(`failed to read the docker auth config ${configFile}: ${e instanceof Error ? e.message : String(e)}`, false);
    }
    const server = registryOf(repo);
    const entry = parsed.auths?.[server] ?? parsed.auths?.[`https://${server}`];
    if (entry?.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      auth = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: server };
    }
  }
  return auth ? Buffer.from(JSON.stringify(auth)).toString('base64url') : undefined;
}

export async function imagePresent(client: DockerClient, image: string): Promise<boolean> {
  try {
    await client.json(`/images/${encodeURIComponent(image)}/json`);
    return true;
  } catch (e) {
    if (e instanceof DockerApiError && e.statusCode === 404) return false;
    throw new DriverError(`failed to inspect image ${JSON.stringify(image)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function ensureImage(client: DockerClient, tc: DockerTaskConfig, plugin: PluginConfig, authConfigFile: string, emit: (message: string) => void, logger: Logger): Promise<void> {
  const ref = parseImageRef(tc.image);
  const present = await imagePresent(client, tc.image);
  if (present && !tc.forcePull && ref.tag !== 'latest') return;
  const auth = registryAuth(tc, authConfigFile, ref.repo);
  emit('Downloading image');
  const timeoutMs = tc.imagePullTimeoutMs ?? plugin.imagePullTimeoutMs;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let lastProgress = Date.now();
  let lastActivity = Date.now();
  const activity = setInterval(() => {
    if (Date.now() - lastActivity > plugin.pullActivityTimeoutMs) abort.abort();
  }, 1000);
  try {
    const res = await client.stream('/images/create', {
      method: 'POST',
      query: { fromImage: ref.repo, ...(ref.digest ? { tag: ref.digest } : { tag: ref.tag }) },
      ...(auth ? { headers: { 'X-Registry-Auth': auth } } : {}),
      signal: abort.signal,
    });
    if ((res.statusCode ?? 0) >= 300) {
      const body = (await readAll(res)).toString('utf8');
      let msg = body.trim();
      try {
        msg = (JSON.parse(body) as { message?: string }).message ?? msg;
      } catch {
        // plain text
      }
      throw new Error(msg);
    }
    let failure = '';
    await readJsonLines(res, (o) => {
      lastActivity = Date.now();
      if (typeof o.error === 'string') failure = o.error;
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS && typeof o.status === 'string') {
        lastProgress = Date.now();
        emit(`Image ${tc.image} pull progress: ${o.status}${typeof o.progress === 'string' ? ` ${o.progress}` : ''}`);
      }
    });
    if (failure) throw new Error(failure);
  } catch (e) {
    const why = abort.signal.aborted ? `no progress or over the pull timeout (${Math.round(timeoutMs / 1000)} s)` : e instanceof Error ? e.message : String(e);
    const hint = present ? ` (the image exists locally, but a "latest" tag or force_pull is always pulled, as Nomad does; use a specific tag to run the local image)` : '';
    logger.warn('image pull failed', { image: tc.image, error: why });
    throw new DriverError(`Failed to pull \`${tc.image}\`: ${why}${hint}`);
  } finally {
    clearTimeout(timer);
    clearInterval(activity);
  }
  emit(`Downloaded image ${tc.image}`);
}
