// Writing an archive's entries into a staging directory without ever leaving it — the one place
// the tar and zip readers write through. Every entry name is checked (no absolute paths, no ".."
// component, no NUL); directories and files are written first, into real directories only;
// symlinks are created after them, each under a parent that resolves inside the root, and every
// symlink must still resolve inside the root once all exist; hard links must name a file the
// archive already wrote and become copies. The file-count and byte limits (the client's
// decompression_file_count_limit and decompression_size_limit) are enforced as data arrives, so a
// decompression bomb stops at the limit. Modes keep only the permission bits (no setuid/setgid).
import fs from 'node:fs';
import path from 'node:path';
import { errnoCode, EscapeError, resolveWithin } from './resolve.js';

export class ArchiveError extends Error {}

export interface ExtractLimits {
  /** Most entries (0: no limit). */
  files: number;
  /** Most bytes of file content (0: no limit). */
  bytes: number;
}

/** An archive entry's name as a clean relative path ('' for the archive's root); throws for unsafe names. */
export function entryPath(raw: string, what: string): string {
  if (raw.includes('\0')) throw new ArchiveError(`${what} entry name contains a NUL byte: ${JSON.stringify(raw)}`);
  if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw)) throw new EscapeError(`${what} entry has an absolute path: ${raw}`);
  if (raw.split(/[/\\]/).includes('..')) throw new EscapeError(`${what} entry contains '..': ${raw}`);
  return raw
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

export class Extractor {
  private readonly root: string;
  private entries = 0;
  private bytes = 0;
  private readonly links: { name: string; target: string }[] = [];
  private readonly dirModes = new Map<string, number>();

  /** `root` must be an empty directory the caller owns; `what` names the archive in errors ("tar archive"). */
  constructor(
    root: string,
    private readonly limits: ExtractLimits,
    private readonly what: string,
  ) {
    this.root = fs.realpathSync(root);
  }

  /** Counts one entry against the file-count limit. */
  countEntry(): void {
    this.entries++;
    if (this.limits.files > 0 && this.entries > this.limits.files) {
      throw new ArchiveError(`${this.what} contains too many files: ${this.entries} > ${this.limits.files} (the client's decompression_file_count_limit)`);
    }
  }

  /** Counts `n` more bytes of content against the size limit. */
  addBytes(n: number): void {
    this.bytes += n;
    if (this.limits.bytes > 0 && this.bytes > this.limits.bytes) {
      throw new ArchiveError(`${this.what} larger than limit: more than ${this.limits.bytes} bytes (the client's decompression_size_limit)`);
    }
  }

  /** Creates the parents of `rel` as real directories (no symlinks exist yet while files are written). */
  private parentOf(rel: string): string {
    const dir = path.join(this.root, path.posix.dirname(rel));
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (err) {
      if (errnoCode(err) === 'EEXIST' || errnoCode(err) === 'ENOTDIR') throw new ArchiveError(`${this.what} entry ${rel}: a parent of it is not a directory`);
      throw err;
    }
    return dir;
  }

  /** Removes a previous file at `abs` (archives may repeat a name: the last one wins); refuses to replace a directory. */
  private clear(abs: string, rel: string): void {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return;
      throw err;
    }
    if (st.isDirectory()) throw new ArchiveError(`${this.what} entry ${rel} conflicts with a directory of the same name`);
    fs.unlinkSync(abs);
  }

  dir(name: string, mode: number): void {
    const rel = entryPath(name, this.what);
    if (rel === '') return;
    const abs = path.join(this.root, rel);
    this.parentOf(rel);
    try {
      fs.mkdirSync(abs, { mode: 0o755 });
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      if (!fs.lstatSync(abs).isDirectory()) throw new ArchiveError(`${this.what} entry ${rel}/ conflicts with a file of the same name`);
    }
    this.dirModes.set(rel, mode);
  }

  /** Writes a regular file from `data`, counting its bytes as they arrive. */
  async file(name: string, mode: number, data: AsyncIterable<Buffer>, mtimeSec = 0): Promise<void> {
    const rel = entryPath(name, this.what);
    if (rel === '') throw new ArchiveError(`${this.what} has a file entry without a name`);
    const abs = path.join(this.parentOf(rel), path.posix.basename(rel));
    this.clear(abs, rel);
    const fh = await fs.promises.open(abs, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    try {
      for await (const chunk of data) {
        this.addBytes(chunk.length);
        await fh.write(chunk);
      }
      await fh.chmod(mode & 0o777);
      if (mtimeSec > 0) await fh.utimes(mtimeSec, mtimeSec);
    } finally {
      await fh.close();
    }
  }

  /** Records a symlink; it is created in finish(), after every file and directory. */
  symlink(name: string, target: string): void {
    const rel = entryPath(name, this.what);
    if (rel === '') throw new ArchiveError(`${this.what} has a symlink entry without a name`);
    if (target === '' || target.includes('\0')) throw new ArchiveError(`${this.what} symlink ${rel} has an invalid target`);
    if (path.isAbsolute(target)) throw new EscapeError(`${this.what} symlink ${rel} points to an absolute path: ${target}`);
    this.links.push({ name: rel, target });
  }

  /** A hard link to a file written earlier in the archive becomes a copy of it. */
  hardlink(name: string, target: string): void {
    const rel = entryPath(name, this.what);
    const to = entryPath(target, this.what);
    if (rel === '' || to === '') throw new ArchiveError(`${this.what} has a hard link entry without a name or target`);
    const src = path.join(this.root, to);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(src);
    } catch {
      throw new ArchiveError(`${this.what} hard link ${rel} points to ${to}, which is not a file in the archive`);
    }
    if (!st.isFile()) throw new ArchiveError(`${this.what} hard link ${rel} points to ${to}, which is not a regular file`);
    this.addBytes(st.size);
    const abs = path.join(this.parentOf(rel), path.posix.basename(rel));
    this.clear(abs, rel);
    fs.copyFileSync(src, abs, fs.constants.COPYFILE_EXCL);
    fs.chmodSync(abs, st.mode & 0o777);
  }

  /** Creates the symlinks (each must resolve inside the root), then applies directory modes. */
  finish(): void {
    const check = (rel: string, target: string): void => {
      if (resolveWithin(this.root, rel) === undefined) throw new EscapeError(`${this.what} symlink ${rel} -> ${target} resolves outside of the archive`);
    };
    for (const { name, target } of this.links) {
      const parent = resolveWithin(this.root, path.posix.dirname(name));
      if (parent === undefined) throw new EscapeError(`${this.what} symlink ${name} is placed through a symlink that leaves the archive`);
      fs.mkdirSync(parent, { recursive: true, mode: 0o755 });
      const abs = path.join(parent, path.posix.basename(name));
      this.clear(abs, name);
      fs.symlinkSync(target, abs);
      check(name, target);
    }
    // A later link can change where an earlier one leads: check them all again.
    for (const { name, target } of this.links) check(name, target);
    // Owner rwx stays, so the tree can still be moved into place and removed.
    for (const [rel, mode] of this.dirModes) fs.chmodSync(path.join(this.root, rel), (mode & 0o777) | 0o700);
  }
}
