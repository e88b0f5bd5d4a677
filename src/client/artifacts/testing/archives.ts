// Builders of tar and zip archives for tests, including the malicious ones real tools refuse to
// make: entries named "../../x" or "/etc/x", symlinks out of the archive, hard links to anywhere.
import zlib from 'node:zlib';

export type TestEntry =
  | { type: 'file'; name: string; data: string | Buffer; mode?: number }
  | { type: 'dir'; name: string; mode?: number }
  | { type: 'symlink'; name: string; target: string }
  | { type: 'hardlink'; name: string; target: string }
  | { type: 'fifo'; name: string };

function field(b: Buffer, off: number, len: number, v: string): void {
  b.write(v, off, len, 'utf8');
}

function octal(b: Buffer, off: number, len: number, n: number): void {
  field(b, off, len, n.toString(8).padStart(len - 1, '0') + '\0');
}

function header(name: string, type: string, size: number, mode: number, link = ''): Buffer {
  const h = Buffer.alloc(512);
  field(h, 0, 100, name);
  octal(h, 100, 8, mode);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, 1_700_000_000);
  h.fill(0x20, 148, 156);
  field(h, 156, 1, type);
  field(h, 157, 100, link);
  field(h, 257, 6, 'ustar\0');
  field(h, 263, 2, '00');
  let sum = 0;
  for (const v of h) sum += v;
  field(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

function pad(b: Buffer): Buffer {
  const rest = (512 - (b.length % 512)) % 512;
  return Buffer.concat([b, Buffer.alloc(rest)]);
}

/** A tar archive; names longer than 100 bytes get a PAX header. */
export function makeTar(entries: TestEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (Buffer.byteLength(e.name) > 99) {
      const rec = (n: number): string => `${n} path=${e.name}\n`;
      let len = rec(0).length;
      while (rec(len).length !== len) len = rec(len).length;
      const body = Buffer.from(rec(len));
      parts.push(header('PaxHeader', 'x', body.length, 0o644), pad(body));
    }
    const name = e.name.slice(0, 99);
    switch (e.type) {
      case 'file': {
        const data = Buffer.from(e.data);
        parts.push(header(name, '0', data.length, e.mode ?? 0o644), pad(data));
        break;
      }
      case 'dir':
        parts.push(header(name, '5', 0, e.mode ?? 0o755));
        break;
      case 'symlink':
        parts.push(header(name, '2', 0, 0o777, e.target));
        break;
      case 'hardlink':
        parts.push(header(name, '1', 0, 0o644, e.target));
        break;
      case 'fifo':
        parts.push(header(name, '6', 0, 0o644));
        break;
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A zip archive made on "Unix" (modes and symlinks in the external attributes), deflated unless `store`. */
export function makeZip(entries: TestEntry[], opts: { store?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name);
    const data = e.type === 'file' ? Buffer.from(e.data) : e.type === 'symlink' ? Buffer.from(e.target) : Buffer.alloc(0);
    const mode = e.type === 'file' ? 0o100000 | (e.mode ?? 0o644) : e.type === 'dir' ? 0o040000 | (e.mode ?? 0o755) : e.type === 'symlink' ? 0o120777 : 0o010644;
    const method = opts.store || data.length === 0 ? 0 : 8;
    const body = method === 8 ? zlib.deflateRawSync(data) : data;
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE((mode << 16) >>> 0, 38);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
