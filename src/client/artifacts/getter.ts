// One artifact, end to end (Nomad's getter Sandbox.Get plus go-getter's Client.Get): interpolate
// the source, options, headers and destination; resolve the destination inside the task dir or
// the shared alloc dir; download into a private staging directory inside the allocation; verify
// the checksum; unpack; inspect (symlinks, special files, setuid); and only then move the result
// into the destination and chown it. On any failure the staging directory is removed, so nothing
// partial reaches the task's directories.
import fs from 'node:fs';
import path from 'node:path';
import type { TaskArtifact } from '../../structs/job.js';
import { formatDuration } from '../../structs/duration.js';
import type { TaskDirs } from '../../drivers/driver.js';
import { checksumFileURL, checksumFromFile, parseChecksumValue, verifyFile, type Checksum } from './checksum.js';
import { abortReason, childEnv } from './child.js';
import type { ArtifactConfig } from './config.js';
import { chownTree, DownloadError, mergeInto, placeFile, writeLimited } from './files.js';
import { gitClone } from './git.js';
import { httpGetFile } from './http.js';
import { allowedLocalPath, checkTreeLimits } from './local.js';
import { confine, EscapeError, inspectTree, isInside, resolveWithin } from './resolve.js';
import { parseArtifactSource, type ArtifactSource } from './source.js';
import { checkArchiveFormat, decompressedName, detectArchive, isSingleFile, unpack } from './unpack.js';

/** Largest checksum file read (`checksum = "file:URL"`). */
const MAX_CHECKSUM_FILE = 16 * 1024 * 1024;

export interface ArtifactRequest {
  artifact: TaskArtifact;
  /** Interpolates ${…} with the task's environment, its directories given as host paths (Nomad's ReplaceEnvClient). */
  replace: (s: string) => string;
  taskDirs: TaskDirs;
  /** The task's `user` (for chown); '' when it runs as the agent's user. */
  user: string;
  /** Aborted when the task is killed: the download stops. */
  signal?: AbortSignal | undefined;
}

export interface ArtifactGetterOptions {
  config: ArtifactConfig;
  /** The agent's environment; only names in set_environment_variables reach child processes. */
  agentEnv?: Readonly<Record<string, string | undefined>>;
  /** Resolves the task's user for `chown` (the agent passes the host's user lookup). */
  lookupUser?: (name: string) => { uid: number; gid: number } | undefined;
}

/**
 * Nomad's ClientPath(destination, joinEscape): a relative destination is under the task dir; an
 * absolute one stays only if it is inside the task dir or the shared alloc dir (else it is taken as
 * relative to the task dir). Symlinks already on the path are followed, and the real path must
 * still be in one of those two directories.
 */
export function artifactDestination(dest: string, dirs: TaskDirs): string {
  const escapes = (p: string, task: string, shared: string): boolean => !isInside(task, p) && !isInside(shared, p);
  let p = dest;
  if (!path.isAbsolute(p) || escapes(path.resolve(p), dirs.dir, dirs.sharedAllocDir)) p = path.join(dirs.dir, p);
  p = path.resolve(p);
  const err = new EscapeError(`artifact destination path escapes alloc directory: ${JSON.stringify(dest)}`);
  if (escapes(p, dirs.dir, dirs.sharedAllocDir)) throw err;
  const allocReal = fs.realpathSync(dirs.allocDir);
  const real = resolveWithin(allocReal, path.relative(dirs.allocDir, p));
  if (real === undefined || escapes(real, fs.realpathSync(dirs.dir), fs.realpathSync(dirs.sharedAllocDir))) throw err;
  return real;
}

/** A child signal that also aborts after `ms` with "<what> timed out after 30m0s". */
function withTimeout(parent: AbortSignal | undefined, ms: number, what: string): { signal: AbortSignal; done(): void } {
  const ctl = new AbortController();
  const timer = ms > 0 ? setTimeout(() => ctl.abort(new DownloadError(`${what} timed out after ${formatDuration(ms * 1e6)}`)), ms) : undefined;
  const onAbort = (): void => ctl.abort(parent?.reason ?? new DownloadError('the task was stopped'));
  if (parent?.aborted) onAbort();
  parent?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: ctl.signal,
    done: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}

export class ArtifactGetter {
  constructor(private readonly opts: ArtifactGetterOptions) {}

  private get config(): ArtifactConfig {
    return this.opts.config;
  }

  /** Downloads one artifact into its destination; throws with the reason on any failure. */
  async get(req: ArtifactRequest): Promise<void> {
    const a = req.artifact;
    const options: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.GetterOptions ?? {})) options[k] = req.replace(v);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.GetterHeaders ?? {})) headers[k] = req.replace(v);
    const src = parseArtifactSource(req.replace(a.GetterSource), options);
    const mode = a.GetterMode === 'file' || a.GetterMode === 'dir' ? a.GetterMode : 'any';
    const dest = artifactDestination(req.replace(a.RelativeDest), req.taskDirs);
    const staging = fs.mkdtempSync(path.join(req.taskDirs.allocDir, '.artifact-'));
    try {
      const env = childEnv(req.taskDirs.dir, this.config.setEnvironmentVariables, this.opts.agentEnv ?? process.env);
      const placed = src.getter === 'git' ? await this.getGit(src, mode, dest, staging, env, req.signal) : await this.getFiles(src, mode, dest, staging, env, headers, a.GetterInsecure, req.signal);
      if (a.Chown) this.chown(placed, req.user);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }

  private chown(p: string, user: string): void {
    if (user === '' || process.getuid?.() !== 0) return;
    const u = this.opts.lookupUser?.(user);
    if (!u) throw new DownloadError(`chown: unknown user ${JSON.stringify(user)}`);
    chownTree(p, u.uid, u.gid);
  }

  private async getGit(src: ArtifactSource, mode: string, dest: string, staging: string, env: Record<string, string>, signal: AbortSignal | undefined): Promise<string> {
    if (mode === 'file') throw new DownloadError('git sources download a directory; mode = "file" cannot be used with them');
    if (src.checksum !== undefined) throw new DownloadError('checksum cannot be specified for directory download');
    let allowFile = false;
    const local = src.url.startsWith('file://') ? decodeURIComponent(new URL(src.url).pathname) : src.url.startsWith('/') ? src.url : undefined;
    if (local !== undefined) {
      allowedLocalPath(local, this.config.filesystemIsolationExtraPaths);
      allowFile = true;
    }
    const out = path.join(staging, 'out');
    const t = withTimeout(signal, this.config.gitTimeoutMs, 'git clone (git_timeout)');
    try {
      await gitClone({ url: src.url, ref: src.git.ref, depth: src.git.depth, sshKey: src.git.sshKey, dest: out, scratchDir: staging, env, allowFile, signal: t.signal });
    } finally {
      t.done();
    }
    return this.placeTree(out, src.subdir, dest);
  }

  /** Moves `root` (or its `subdir`) into `dest` after inspecting it. */
  private placeTree(root: string, subdir: string, dest: string): string {
    let from = root;
    if (subdir !== '') {
      if (subdir.split(/[/\\]/).includes('..')) throw new EscapeError(`subdirectory component contains path traversal out of the repository: ${subdir}`);
      from = confine(root, subdir, 'subdirectory');
      if (!fs.existsSync(from) || !fs.lstatSync(from).isDirectory()) throw new DownloadError(`subdirectory ${JSON.stringify(subdir)} does not exist in the download`);
    }
    inspectTree(from);
    mergeInto(from, dest);
    return dest;
  }

  /** `dest/name` for a file downloaded in "any" mode (the directory is created; symlinks in it are followed only inside it). */
  private fileIn(dest: string, name: string): string {
    fs.mkdirSync(dest, { recursive: true, mode: 0o755 });
    return confine(dest, name, 'file name');
  }

  private async checksum(src: ArtifactSource, staging: string, headers: Record<string, string>, insecure: boolean, signal: AbortSignal | undefined): Promise<Checksum | undefined> {
    if (src.checksum === undefined || src.checksum === '') return undefined;
    const url = checksumFileURL(src.checksum);
    if (url === undefined) return parseChecksumValue(src.checksum);
    const sumSrc = parseArtifactSource(url, {});
    if (sumSrc.getter === 'git') throw new DownloadError('a checksum file must be an http(s) URL or a local file');
    const file = path.join(staging, 'checksum-file');
    await this.fetchFile(sumSrc, file, headers, insecure, signal, MAX_CHECKSUM_FILE).catch((err: unknown) => {
      throw new DownloadError(`Error downloading checksum file: ${(err as Error).message}`);
    });
    return checksumFromFile(fs.readFileSync(file, 'utf8'), src.path, sumSrc.path, url);
  }

  /** Fetches an http(s) URL or an allowed local file into the new file `file`. */
  private async fetchFile(src: ArtifactSource, file: string, headers: Record<string, string>, insecure: boolean, signal: AbortSignal | undefined, maxBytes: number): Promise<void> {
    const t = withTimeout(signal, this.config.httpReadTimeoutMs, 'download (http_read_timeout)');
    try {
      if (src.getter === 'http') {
        await httpGetFile({ url: src.url, headers, insecure, maxBytes, signal: t.signal }, file);
      } else {
        const real = allowedLocalPath(src.path, this.config.filesystemIsolationExtraPaths);
        if (!fs.statSync(real).isFile()) throw new DownloadError(`local source ${src.path} is not a file`);
        await writeLimited(fs.createReadStream(real), file, maxBytes, `local file ${src.path} is larger than the client's artifact http_max_size (${maxBytes} bytes)`, t.signal);
      }
    } catch (err) {
      if (t.signal.aborted) throw new DownloadError(abortReason(t.signal));
      throw err;
    } finally {
      t.done();
    }
  }

  private async getFiles(src: ArtifactSource, mode: string, dest: string, staging: string, env: Record<string, string>, headers: Record<string, string>, insecure: boolean, signal: AbortSignal | undefined): Promise<string> {
    const c = this.config;
    const limits = { files: c.decompressionFileCountLimit, bytes: c.decompressionSizeLimit };
    const format = src.archive === false ? undefined : src.archive !== undefined ? checkArchiveFormat(src.archive) : detectArchive(src.path);

    // A local directory is copied as a tree, like an unpacked archive.
    if (src.getter === 'file' && format === undefined) {
      const real = allowedLocalPath(src.path, c.filesystemIsolationExtraPaths);
      if (fs.statSync(real).isDirectory()) {
        if (mode === 'file') throw new DownloadError(`local source ${src.path} is a directory; mode = "file" needs a file`);
        if (src.checksum !== undefined) throw new DownloadError('checksum cannot be specified for directory download');
        checkTreeLimits(real, limits.files, limits.bytes);
        const out = path.join(staging, 'out');
        fs.cpSync(real, out, { recursive: true, verbatimSymlinks: true });
        return this.placeTree(out, src.subdir, dest);
      }
    }
    if (format === undefined && (mode === 'dir' || (src.getter === 'http' && src.path.endsWith('/')))) {
      throw new DownloadError('downloading a directory over http needs an archive: point the source at a .tar.gz, .zip or similar file (or set archive = "tar.gz")');
    }
    if (format === undefined && src.subdir !== '') throw new DownloadError(`a subdirectory ("//${src.subdir}") needs an archive or a git source`);

    const sum = await this.checksum(src, staging, headers, insecure, signal);
    const name = path.posix.basename(src.path) || 'download';
    const dlDir = path.join(staging, 'download');
    fs.mkdirSync(dlDir);
    const file = path.join(dlDir, name);
    await this.fetchFile(src, file, headers, insecure, signal, c.httpMaxBytes);
    if (sum) await verifyFile(file, sum, name);

    if (format === undefined) {
      placeFile(file, mode === 'file' ? dest : this.fileIn(dest, src.filename ?? name));
      return dest;
    }

    if (isSingleFile(format) && mode === 'dir') throw new DownloadError(`${format}-compressed files can only unarchive to a single file; use mode = "file" or "any"`);
    const out = path.join(staging, 'out');
    fs.mkdirSync(out);
    const t = withTimeout(signal, 0, 'unpacking');
    try {
      await unpack(format, file, out, name, { limits, env, signal: t.signal });
    } finally {
      t.done();
    }
    if (isSingleFile(format)) {
      const single = path.join(out, decompressedName(name, format));
      inspectTree(out);
      placeFile(single, mode === 'file' ? dest : this.fileIn(dest, src.filename ?? path.basename(single)));
      return dest;
    }
    if (mode === 'file') {
      inspectTree(out);
      const entries = fs.readdirSync(out, { withFileTypes: true });
      const only = entries[0];
      if (entries.length !== 1 || !only?.isFile()) throw new DownloadError(`expected a single file in ${name} (mode = "file"), found ${entries.length} entries`);
      placeFile(path.join(out, only.name), dest);
      return dest;
    }
    return this.placeTree(out, src.subdir, dest);
  }
}
