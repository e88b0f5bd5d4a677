// Unpacking a downloaded archive, by go-getter's extension table or the `archive` option: tar,
// tar.gz/tgz, tar.bz2/tbz2, tar.xz/txz, tar.zst/tzst and zip into a directory; gz, bz2, xz and zst
// into a single file. gzip is Node's zlib; bzip2, xz and zstd are Debian's tools run as child
// processes with the scrubbed environment, feeding Roam's own tar reader — no tar or unzip
// binary ever decides where a file goes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { abortReason, killGroup } from './child.js';
import { ArchiveError, Extractor, type ExtractLimits } from './extract.js';
import { writeLimited } from './files.js';
import { errnoCode } from './resolve.js';
import { extractTar } from './tar.js';
import { extractZip } from './zip.js';

type Codec = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';
interface Format {
  container: 'tar' | 'zip' | 'file';
  codec: Codec;
}

/** go-getter's decompressor table (LimitedDecompressors). */
const FORMATS: Record<string, Format> = {
  tar: { container: 'tar', codec: 'none' },
  'tar.gz': { container: 'tar', codec: 'gzip' },
  tgz: { container: 'tar', codec: 'gzip' },
  'tar.bz2': { container: 'tar', codec: 'bzip2' },
  tbz2: { container: 'tar', codec: 'bzip2' },
  'tar.xz': { container: 'tar', codec: 'xz' },
  txz: { container: 'tar', codec: 'xz' },
  'tar.zst': { container: 'tar', codec: 'zstd' },
  tzst: { container: 'tar', codec: 'zstd' },
  zip: { container: 'zip', codec: 'none' },
  gz: { container: 'file', codec: 'gzip' },
  bz2: { container: 'file', codec: 'bzip2' },
  xz: { container: 'file', codec: 'xz' },
  zst: { container: 'file', codec: 'zstd' },
};

export const ARCHIVE_FORMATS: readonly string[] = Object.keys(FORMATS);

/** The format a path's extension names (the longest match), or undefined. */
export function detectArchive(p: string): string | undefined {
  let best: string | undefined;
  for (const k of ARCHIVE_FORMATS) if (p.endsWith(`.${k}`) && (best === undefined || k.length > best.length)) best = k;
  return best;
}

/** Checks an `archive = "…"` option. */
export function checkArchiveFormat(f: string): string {
  if (!(f in FORMATS)) throw new ArchiveError(`unknown archive format ${JSON.stringify(f)}: expected one of ${ARCHIVE_FORMATS.join(', ')}, or false`);
  return f;
}

/** gz, bz2, xz, zst: a compressed single file rather than an archive of files. */
export function isSingleFile(format: string): boolean {
  return FORMATS[format]?.container === 'file';
}

/** The name of a single compressed file once decompressed ("app.gz" → "app"). */
export function decompressedName(name: string, format: string): string {
  return name.endsWith(`.${format}`) && name.length > format.length + 1 ? name.slice(0, -(format.length + 1)) : name;
}

const TOOLS: Record<Exclude<Codec, 'none' | 'gzip'>, [string, string[]]> = {
  bzip2: ['bzip2', ['-dc']],
  xz: ['xz', ['-dc']],
  zstd: ['zstd', ['-dcq']],
};

/** The decompressed bytes of `file`; a tool's failure (or a missing tool) ends the stream with an error. */
async function* decompressed(file: string, codec: Codec, env: Record<string, string>, signal: AbortSignal): AsyncGenerator<Buffer> {
  if (codec === 'none' || codec === 'gzip') {
    const raw = fs.createReadStream(file);
    const s = codec === 'gzip' ? raw.pipe(zlib.createGunzip()) : raw;
    try {
      for await (const c of s as AsyncIterable<Buffer>) {
        if (signal.aborted) throw new ArchiveError(abortReason(signal));
        yield c;
      }
    } catch (err) {
      if (codec === 'gzip' && err instanceof Error && errnoCode(err)?.startsWith('Z_')) throw new ArchiveError(`gzip: invalid or corrupt data (${err.message})`);
      throw err;
    } finally {
      raw.destroy();
      s.destroy();
    }
    return;
  }
  const [cmd, args] = TOOLS[codec];
  const fd = fs.openSync(file, 'r');
  const child = spawn(cmd, args, { env, stdio: [fd, 'pipe', 'pipe'], detached: true });
  fs.closeSync(fd);
  const { stdout, stderr: errStream } = child;
  if (!stdout || !errStream) throw new ArchiveError(`${cmd}: no output pipes`);
  let stderr = '';
  errStream.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4096)));
  const exited = new Promise<string | null>((resolve) => {
    child.on('error', (err) => resolve(errnoCode(err) === 'ENOENT' ? `${cmd} is not installed on this client (needed to unpack ${codec} archives)` : err.message));
    child.on('close', (code, sig) => resolve(code === 0 ? null : `${cmd} failed (${code !== null ? `exit status ${code}` : `signal ${sig ?? '?'}`})${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
  });
  const onAbort = (): void => killGroup(child);
  signal.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    for await (const c of stdout as AsyncIterable<Buffer>) yield c;
    const err = await exited;
    if (signal.aborted) throw new ArchiveError(abortReason(signal));
    if (err !== null) throw new ArchiveError(err);
    finished = true;
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!finished) killGroup(child);
    stdout.destroy();
  }
}

export interface UnpackOptions {
  limits: ExtractLimits;
  /** Environment of decompressor child processes (already scrubbed). */
  env: Record<string, string>;
  signal: AbortSignal;
}

/**
 * Unpacks `file` (format `format`) into the directory `outDir`, which must exist and be empty.
 * Archives of files become a tree; a single compressed file becomes `outDir/<name without extension>`.
 */
export async function unpack(format: string, file: string, outDir: string, name: string, opts: UnpackOptions): Promise<void> {
  const f = FORMATS[format];
  if (!f) throw new ArchiveError(`unknown archive format ${JSON.stringify(format)}`);
  const what = `${format} archive ${name}`;
  if (f.container === 'file') {
    const out = path.join(outDir, decompressedName(name, format));
    const tooLarge = `${what} larger than limit: more than ${opts.limits.bytes} bytes (the client's decompression_size_limit)`;
    await writeLimited(Readable.from(decompressed(file, f.codec, opts.env, opts.signal)), out, opts.limits.bytes, tooLarge);
    return;
  }
  const ex = new Extractor(outDir, opts.limits, what);
  if (f.container === 'zip') {
    if (opts.signal.aborted) throw new ArchiveError(abortReason(opts.signal));
    await extractZip(file, ex, what);
  } else {
    await extractTar(decompressed(file, f.codec, opts.env, opts.signal), ex, what);
  }
  ex.finish();
}
