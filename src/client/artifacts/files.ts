// Moving a finished, inspected download from its staging directory into the task's filesystem:
// writing a size-limited file, placing a single file, merging a tree into the destination
// directory (Nomad's mergeDirectories), and `chown` to the task's user. Nothing here follows a
// symlink that is already in the destination: entries are examined with lstat and replaced, never
// written through.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errnoCode } from './resolve.js';

export class DownloadError extends Error {}

/** Copies `body` into a new file `dest` (0644), failing with `tooLarge` once more than `maxBytes` (> 0) arrive. */
export async function writeLimited(body: Readable, dest: string, maxBytes: number, tooLarge: string, signal?: AbortSignal): Promise<number> {
  let n = 0;
  const counter = async function* (src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of src) {
      n += chunk.length;
      if (maxBytes > 0 && n > maxBytes) throw new DownloadError(tooLarge);
      yield chunk;
    }
  };
  await pipeline(body, counter, fs.createWriteStream(dest, { flags: 'wx', mode: 0o644 }), signal ? { signal } : {});
  return n;
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
}

/** Moves the file `src` to `dest` (a confined path), replacing whatever is there. */
export function placeFile(src: string, dest: string): void {
  fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o755 });
  if (lstatOrNull(dest)?.isDirectory()) fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(src, dest);
}

/** Moves the contents of `srcDir` into `dstDir` (a confined path): directories merge, anything else replaces. */
export function mergeInto(srcDir: string, dstDir: string): void {
  const d = lstatOrNull(dstDir);
  if (d !== null && !d.isDirectory()) fs.rmSync(dstDir, { force: true });
  fs.mkdirSync(dstDir, { recursive: true, mode: 0o755 });
  for (const ent of fs.readdirSync(srcDir, { withFileTypes: true })) {
    const src = path.join(srcDir, ent.name);
    const dst = path.join(dstDir, ent.name);
    const cur = lstatOrNull(dst);
    if (cur === null) {
      fs.renameSync(src, dst);
    } else if (ent.isDirectory() && cur.isDirectory()) {
      mergeInto(src, dst);
    } else {
      fs.rmSync(dst, { recursive: true, force: true });
      fs.renameSync(src, dst);
    }
  }
}

/** Gives `p` and everything under it (not following symlinks) to uid:gid. */
export function chownTree(p: string, uid: number, gid: number): void {
  const st = fs.lstatSync(p);
  fs.lchownSync(p, uid, gid);
  if (!st.isDirectory()) return;
  for (const name of fs.readdirSync(p)) chownTree(path.join(p, name), uid, gid);
}
