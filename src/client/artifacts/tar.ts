// A tar reader (POSIX ustar, GNU long names, PAX extended headers) that hands each entry to the
// Extractor, so Roam decides about every path, link and byte itself instead of trusting a tar
// binary. It reads a stream of (already decompressed) bytes and stops at the end-of-archive block.
// Sparse files, devices and FIFOs are refused; PAX and long-name records are capped in size.
import { ArchiveError, type Extractor } from './extract.js';

const BLOCK = 512;
/** Largest PAX / GNU long-name record accepted (they are held in memory). */
const MAX_META = 1024 * 1024;

/** Reads exact byte counts from an async stream of chunks. */
export class ByteReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private readonly it: AsyncIterator<Buffer>;

  constructor(src: AsyncIterable<Buffer>) {
    this.it = src[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.buffered < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) this.ended = true;
      else if (r.value.length > 0) {
        this.chunks.push(r.value);
        this.buffered += r.value.length;
      }
    }
  }

  private takeUpTo(n: number): Buffer {
    const out: Buffer[] = [];
    let need = n;
    while (need > 0 && this.chunks.length > 0) {
      const c = this.chunks[0] ?? Buffer.alloc(0);
      if (c.length <= need) {
        out.push(c);
        this.chunks.shift();
        need -= c.length;
      } else {
        out.push(c.subarray(0, need));
        this.chunks[0] = c.subarray(need);
        need = 0;
      }
    }
    const b = out.length === 1 ? (out[0] ?? Buffer.alloc(0)) : Buffer.concat(out);
    this.buffered -= b.length;
    return b;
  }

  /** Exactly `n` bytes, or null at a clean end of stream; throws when the stream ends part-way. */
  async read(n: number, what: string): Promise<Buffer | null> {
    await this.fill(n);
    if (this.buffered === 0 && this.ended) return null;
    if (this.buffered < n) throw new ArchiveError(`unexpected end of ${what}`);
    return this.takeUpTo(n);
  }

  /** `n` bytes as a stream of chunks (for file contents). */
  async *stream(n: number, what: string): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buffered === 0) await this.fill(1);
      if (this.buffered === 0) throw new ArchiveError(`unexpected end of ${what}`);
      const b = this.takeUpTo(Math.min(left, this.buffered));
      left -= b.length;
      yield b;
    }
  }

  async skip(n: number, what: string): Promise<void> {
    for await (const chunk of this.stream(n, what)) void chunk;
  }
}

function cstr(b: Buffer, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const z = s.indexOf(0);
  return (z < 0 ? s : s.subarray(0, z)).toString('utf8');
}

/** A tar numeric field: octal text, or GNU base-256 when the high bit of the first byte is set. */
export function tarNumber(b: Buffer, off: number, len: number): number {
  const f = b.subarray(off, off + len);
  if (((f[0] ?? 0) & 0x80) !== 0) {
    if (((f[0] ?? 0) & 0x40) !== 0) throw new ArchiveError('invalid tar header: negative number');
    let n = (f[0] ?? 0) & 0x3f;
    for (let i = 1; i < f.length; i++) {
      n = n * 256 + (f[i] ?? 0);
      if (n > Number.MAX_SAFE_INTEGER) throw new ArchiveError('invalid tar header: number too large');
    }
    return n;
  }
  const s = f.toString('latin1').replace(/\0.*$/s, '').trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new ArchiveError(`invalid tar header: bad number ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

function checksumOK(h: Buffer): boolean {
  const want = tarNumber(h, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const v = i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  return want === unsigned || want === signed;
}

/** PAX records "LEN key=value\n…" → map. */
export function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let off = 0;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp < 0) break;
    const len = Number(data.subarray(off, sp).toString('latin1'));
    if (!Number.isInteger(len) || len <= sp - off || off + len > data.length) throw new ArchiveError('invalid tar PAX header');
    const rec = data.subarray(sp + 1, off + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    off += len;
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = { '3': 'character device', '4': 'block device', '6': 'FIFO', S: 'GNU sparse file', V: 'volume label', M: 'multi-volume continuation' };

/** Reads a tar stream into `ex`; the caller calls ex.finish(). An archive without entries is an error. */
export async function extractTar(src: AsyncIterable<Buffer>, ex: Extractor, what = 'tar archive'): Promise<void> {
  const r = new ByteReader(src);
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  let entries = 0;
  const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;
  for (;;) {
    const h = await r.read(BLOCK, what);
    if (h === null) break; // no end-of-archive blocks: accept, as Go's reader does
    if (h.every((b) => b === 0)) break;
    if (!checksumOK(h)) throw new ArchiveError(`${what} is not a valid tar archive (header checksum mismatch)`);
    const type = String.fromCharCode(h[156] ?? 0);
    let size = tarNumber(h, 124, 12);
    if (pax.has('size')) size = Number(pax.get('size'));
    if (!Number.isSafeInteger(size) || size < 0) throw new ArchiveError(`invalid tar header: bad size`);

    if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
      if (size > MAX_META) throw new ArchiveError(`${what} has an extended header larger than ${MAX_META} bytes`);
      const data = (await r.read(size, what)) ?? Buffer.alloc(0);
      await r.skip(padding(size), what);
      if (type === 'L') longName = cstr(data, 0, data.length);
      else if (type === 'K') longLink = cstr(data, 0, data.length);
      else if (type === 'x') pax = parsePax(data);
      continue; // global PAX headers ('g') carry nothing Roam uses
    }

    const magic = h.subarray(257, 263).toString('latin1');
    let name = cstr(h, 0, 100);
    const prefix = magic === 'ustar\0' ? cstr(h, 345, 155) : '';
    if (prefix !== '') name = `${prefix}/${name}`;
    name = pax.get('path') ?? longName ?? name;
    const linkname = pax.get('linkpath') ?? longLink ?? cstr(h, 157, 100);
    const mode = tarNumber(h, 100, 8);
    const mtime = pax.has('mtime') ? Math.floor(Number(pax.get('mtime'))) : tarNumber(h, 136, 12);
    longName = undefined;
    longLink = undefined;
    pax = new Map();
    entries++;
    ex.countEntry();

    switch (type) {
      case '0':
      case '\0':
      case '7':
        if (name.endsWith('/') && size === 0) ex.dir(name, mode);
        else await ex.file(name, mode, r.stream(size, what), mtime);
        break;
      case '5':
        ex.dir(name, mode);
        await r.skip(size, what);
        break;
      case '2':
        ex.symlink(name, linkname);
        await r.skip(size, what);
        break;
      case '1':
        ex.hardlink(name, linkname);
        await r.skip(size, what);
        break;
      default:
        throw new ArchiveError(`${what} entry ${name} is a ${TYPE_NAMES[type] ?? `entry of unknown type ${JSON.stringify(type)}`}, which artifacts may not contain`);
    }
    await r.skip(padding(size), what);
  }
  if (entries === 0) throw new ArchiveError(`empty archive: ${what}`);
}
