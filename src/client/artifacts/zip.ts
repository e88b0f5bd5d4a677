// A zip reader (stored and deflate entries, ZIP64 sizes and offsets, Unix modes and symlinks)
// that reads the central directory of a downloaded file and hands each entry to the Extractor.
// Every entry's CRC-32 and size are checked; encrypted entries and other compression methods are
// refused with a clear error. Inflation is streamed and counted, so a zip bomb stops at the limit.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { ArchiveError, type Extractor } from './extract.js';

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const MAX_SYMLINK_TARGET = 4096;

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Unix st_mode when the archive was made on Unix, else 0. */
  unixMode: number;
}

async function readAt(fh: fs.promises.FileHandle, pos: number, len: number): Promise<Buffer> {
  const b = Buffer.alloc(len);
  const { bytesRead } = await fh.read(b, 0, len, pos);
  if (bytesRead !== len) throw new ArchiveError('zip archive is truncated');
  return b;
}

function u64(b: Buffer, off: number): number {
  const v = b.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ArchiveError('zip archive has a size or offset too large');
  return Number(v);
}

/** The central directory's entries. */
export async function readZipDirectory(fh: fs.promises.FileHandle, fileSize: number): Promise<ZipEntry[]> {
  const tailLen = Math.min(fileSize, 0xffff + 22);
  if (tailLen < 22) throw new ArchiveError('zip archive is too short (not a zip file?)');
  const tail = await readAt(fh, fileSize - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ArchiveError('zip archive has no end of central directory record (not a zip file?)');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  const eocdAbs = fileSize - tailLen + eocd;
  if ((count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && eocdAbs >= 20) {
    const loc = await readAt(fh, eocdAbs - 20, 20);
    if (loc.readUInt32LE(0) === ZIP64_LOCATOR_SIG) {
      const rec = await readAt(fh, u64(loc, 8), 56);
      if (rec.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw new ArchiveError('zip archive has an invalid ZIP64 end of central directory');
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
    }
  }
  if (cdOffset + cdSize > fileSize) throw new ArchiveError('zip archive central directory lies outside the file');
  const cd = await readAt(fh, cdOffset, cdSize);
  const out: ZipEntry[] = [];
  let off = 0;
  for (let i = 0; i < count; i++) {
    if (off + 46 > cd.length || cd.readUInt32LE(off) !== CENTRAL_SIG) throw new ArchiveError('zip archive has a corrupt central directory');
    const madeBy = cd.readUInt16LE(off + 4);
    const flags = cd.readUInt16LE(off + 8);
    const method = cd.readUInt16LE(off + 10);
    const crc = cd.readUInt32LE(off + 16);
    let compressedSize = cd.readUInt32LE(off + 20);
    let size = cd.readUInt32LE(off + 24);
    const nameLen = cd.readUInt16LE(off + 28);
    const extraLen = cd.readUInt16LE(off + 30);
    const commentLen = cd.readUInt16LE(off + 32);
    const external = cd.readUInt32LE(off + 38);
    let localOffset = cd.readUInt32LE(off + 42);
    const name = cd.subarray(off + 46, off + 46 + nameLen).toString('utf8');
    const extra = cd.subarray(off + 46 + nameLen, off + 46 + nameLen + extraLen);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(e);
      const len = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let p = e + 4;
        const take = (): number => {
          if (p + 8 > e + 4 + len) throw new ArchiveError('zip archive has a corrupt ZIP64 extra field');
          const v = u64(extra, p);
          p += 8;
          return v;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      e += 4 + len;
    }
    out.push({ name, method, flags, crc, compressedSize, size, localOffset, unixMode: madeBy >> 8 === 3 ? external >>> 16 : 0 });
    off += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

async function* entryData(file: string, fh: fs.promises.FileHandle, e: ZipEntry, what: string): AsyncGenerator<Buffer> {
  const local = await readAt(fh, e.localOffset, 30);
  if (local.readUInt32LE(0) !== LOCAL_SIG) throw new ArchiveError(`${what} entry ${e.name} has a corrupt local header`);
  const start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (e.compressedSize === 0) return;
  const raw = fs.createReadStream(file, { start, end: start + e.compressedSize - 1 });
  const body = e.method === 8 ? raw.pipe(zlib.createInflateRaw()) : raw;
  let crc = 0;
  let n = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n > e.size) throw new ArchiveError(`${what} entry ${e.name} is larger than its recorded size`);
      crc = zlib.crc32(chunk, crc);
      yield chunk;
    }
  } finally {
    raw.destroy();
    body.destroy();
  }
  if (n !== e.size || crc !== e.crc) throw new ArchiveError(`${what} entry ${e.name} is corrupt (size or CRC-32 mismatch)`);
}

async function collect(it: AsyncIterable<Buffer>, max: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of it) {
    n += c.length;
    if (n > max) throw new ArchiveError(`${what} is longer than ${max} bytes`);
    parts.push(c);
  }
  return Buffer.concat(parts);
}

/** Extracts the zip file `file` into `ex`; the caller calls ex.finish(). */
export async function extractZip(file: string, ex: Extractor, what = 'zip archive'): Promise<void> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const entries = await readZipDirectory(fh, size);
    if (entries.length === 0) throw new ArchiveError(`empty archive: ${what}`);
    for (const e of entries) {
      ex.countEntry();
      if (e.flags & 1) throw new ArchiveError(`${what} entry ${e.name} is encrypted, which artifacts may not be`);
      if (e.method !== 0 && e.method !== 8) throw new ArchiveError(`${what} entry ${e.name} uses compression method ${e.method}; only stored (0) and deflate (8) are supported`);
      const type = e.unixMode & 0o170000;
      if (type === 0o120000) {
        const target = await collect(entryData(file, fh, e, what), MAX_SYMLINK_TARGET, `${what} symlink ${e.name}`);
        ex.symlink(e.name, target.toString('utf8'));
      } else if (type === 0o040000 || e.name.endsWith('/')) {
        ex.dir(e.name, e.unixMode & 0o7777 || 0o755);
      } else if (type === 0o100000 || type === 0) {
        await ex.file(e.name, e.unixMode & 0o7777 || 0o644, entryData(file, fh, e, what));
      } else {
        throw new ArchiveError(`${what} entry ${e.name} is a special file (device, FIFO or socket), which artifacts may not contain`);
      }
    }
  } finally {
    await fh.close();
  }
}
