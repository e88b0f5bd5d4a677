// Confinement of the paths templates touch (source, destination, the `file` function) to the task
// dir, as Nomad's template sandbox does: the path is resolved against the task dir, symlinks on
// the way are followed, and anything that ends up outside is refused.
import fs from 'node:fs';
import path from 'node:path';
import { errnoCode, isInside } from '../../artifacts/resolve.js';

export class PathEscapeError extends Error {}

/**
 * Resolves `p` (relative to `root`, or absolute) to a real path inside `root`, following every
 * symlink that exists along the way (dangling ones too). Components that do not exist yet are
 * kept as they are. Throws PathEscapeError when the result is outside `root`.
 */
export function confinedPath(root: string, p: string, what = 'path'): string {
  const realRoot = fs.realpathSync(root);
  const escape = (): PathEscapeError => new PathEscapeError(`${what} ${JSON.stringify(p)} escapes the task directory`);
  const lexical = path.resolve(realRoot, p);
  if (!isInside(realRoot, lexical)) throw escape();
  const parts = path.relative(realRoot, lexical).split(path.sep).filter((s) => s !== '');
  let cur = realRoot;
  let hops = 0;
  for (let i = 0; i < parts.length; i++) {
    const next = path.join(cur, parts[i] ?? '');
    let st: fs.Stats;
    try {
      st = fs.lstatSync(next);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT' && errnoCode(err) !== 'ENOTDIR') throw err;
      cur = path.join(next, ...parts.slice(i + 1));
      break;
    }
    if (st.isSymbolicLink()) {
      if (++hops > 40) throw new Error(`${what} ${JSON.stringify(p)}: too many levels of symbolic links`);
      const target = path.resolve(path.dirname(next), fs.readlinkSync(next));
      try {
        cur = fs.realpathSync(target);
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
        cur = target; // dangling: where a write through it would land
      }
    } else cur = next;
    if (!isInside(realRoot, cur)) throw escape();
  }
  if (!isInside(realRoot, cur)) throw escape();
  return cur;
}
