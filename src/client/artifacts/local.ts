// `file` sources (absolute paths, file:// URLs) and local git repositories. go-getter's file
// getter would let any job read any file the agent can (its data dir, its TLS keys), so Roam
// refuses them unless the operator lists the directory or file, readable ("r"), in the client's
// `artifact { filesystem_isolation_extra_paths = ["d:r:/srv/artifacts"] }` — Nomad's list of what
// the downloader may read. The check is made on the real path, after symlinks.
import fs from 'node:fs';
import path from 'node:path';
import { parseExtraPath } from './config.js';
import { DownloadError } from './files.js';
import { isInside } from './resolve.js';

/** The real path of the local source `p`, if the client allows reading it; throws otherwise. */
export function allowedLocalPath(p: string, extraPaths: readonly string[]): string {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch {
    throw new DownloadError(`local source ${p} does not exist`);
  }
  for (const entry of extraPaths) {
    const e = parseExtraPath(entry);
    if (!e.mode.includes('r')) continue;
    let allowed: string;
    try {
      allowed = fs.realpathSync(e.path);
    } catch {
      continue;
    }
    if (e.kind === 'f' ? real === allowed : isInside(allowed, real)) return real;
  }
  throw new DownloadError(
    `local sources are disabled for ${p}: this client reads local files only from paths listed with read access in client { artifact { filesystem_isolation_extra_paths = ["d:r:/dir"] } }`,
  );
}

/** Counts a local directory's entries and bytes (not following symlinks) against limits before copying it. */
export function checkTreeLimits(dir: string, maxFiles: number, maxBytes: number): void {
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      files++;
      if (maxFiles > 0 && files > maxFiles) throw new DownloadError(`local directory ${dir} contains too many files: more than ${maxFiles} (the client's decompression_file_count_limit)`);
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.isFile()) {
        bytes += fs.lstatSync(p).size;
        if (maxBytes > 0 && bytes > maxBytes) throw new DownloadError(`local directory ${dir} is larger than ${maxBytes} bytes (the client's decompression_size_limit)`);
      }
    }
  };
  walk(dir);
}
