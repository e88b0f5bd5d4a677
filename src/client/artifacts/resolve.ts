// Path confinement for downloads: where a path inside a directory really leads once every symlink
// along it (including the last component, and dangling ones) is followed the way the kernel would,
// and the inspection of a finished download: every symlink must resolve inside the artifact,
// setuid/setgid bits are removed (CVE-2019-14803), devices, FIFOs and sockets are refused.
import fs from 'node:fs';
import path from 'node:path';

export class EscapeError extends Error {}

const MAX_SYMLINK_HOPS = 40;

export function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** `p` is `root` or below it (both absolute, normalized). */
export function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Follows `rel` from `root` (a real, absolute directory) component by component, splicing in the
 * target of each symlink met. Returns the absolute path it ends at, or undefined when it leaves
 * `root` at any point. Components that do not exist are taken as they are written.
 */
export function resolveWithin(root: string, rel: string): string | undefined {
  let stack: string[] = [];
  let pending = rel.split(/\/+/).filter((s) => s !== '' && s !== '.');
  if (path.isAbsolute(rel)) {
    const r = path.relative(root, path.resolve(rel));
    if (r.startsWith('..') || path.isAbsolute(r)) return undefined;
    pending = r.split(path.sep).filter((s) => s !== '');
  }
  let hops = 0;
  while (pending.length > 0) {
    const c = pending.shift() ?? '';
    if (c === '.' || c === '') continue;
    if (c === '..') {
      if (stack.length === 0) return undefined;
      stack.pop();
      continue;
    }
    const p = path.join(root, ...stack, c);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(p);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT' && errnoCode(err) !== 'ENOTDIR') throw err;
    }
    if (st?.isSymbolicLink()) {
      if (++hops > MAX_SYMLINK_HOPS) return undefined;
      const target = fs.readlinkSync(p);
      if (path.isAbsolute(target)) {
        const r = path.relative(root, path.resolve(target));
        if (r.startsWith('..') || path.isAbsolute(r)) return undefined;
        stack = [];
        pending = [...r.split(path.sep).filter((s) => s !== ''), ...pending];
      } else {
        pending = [...target.split(/\/+/), ...pending];
      }
      continue;
    }
    stack.push(c);
  }
  return path.join(root, ...stack);
}

/** Where `rel` (relative to `root`, or absolute) leads inside `root`; throws EscapeError when it leaves it. */
export function confine(root: string, rel: string, what: string): string {
  const real = fs.realpathSync(root);
  const out = resolveWithin(real, rel);
  if (out === undefined) throw new EscapeError(`${what} ${JSON.stringify(rel)} leads outside of its directory`);
  return out;
}

/**
 * Walks a finished download (not following symlinks): refuses symlinks that resolve outside
 * `root` (Nomad's "artifact includes symlink that resolves outside of sandbox") and special files,
 * and strips setuid/setgid.
 */
export function inspectTree(root: string): void {
  const real = fs.realpathSync(root);
  const walk = (rel: string): void => {
    for (const ent of fs.readdirSync(path.join(real, rel), { withFileTypes: true })) {
      const r = rel === '' ? ent.name : `${rel}/${ent.name}`;
      const abs = path.join(real, r);
      if (ent.isSymbolicLink()) {
        if (resolveWithin(real, r) === undefined) throw new EscapeError(`artifact includes symlink that resolves outside of sandbox: ${r} -> ${fs.readlinkSync(abs)}`);
      } else if (ent.isDirectory()) {
        walk(r);
      } else if (ent.isFile()) {
        const st = fs.lstatSync(abs);
        if (st.mode & 0o6000) fs.chmodSync(abs, st.mode & 0o1777);
      } else {
        throw new EscapeError(`artifact includes a special file (device, FIFO or socket): ${r}`);
      }
    }
  };
  if (fs.lstatSync(real).isDirectory()) walk('');
}
