// The `checksum` option as go-getter reads it: "md5:…", "sha1:…", "sha256:…", "sha512:…", a bare
// hex digest (the type guessed from its length), or "file:URL" naming a checksum file (GNU
// "digest  name" lines, BSD "SHA256 (name) = digest" lines) in which the artifact's line is found.
// Pure except verifyFile, which reads the downloaded file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

export type ChecksumType = 'md5' | 'sha1' | 'sha256' | 'sha512';

export interface Checksum {
  type: ChecksumType;
  /** Lowercase hex. */
  digest: string;
}

export class ChecksumError extends Error {}

const BY_LENGTH: Record<number, ChecksumType> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };
const LENGTH: Record<ChecksumType, number> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

function isType(t: string): t is ChecksumType {
  return t === 'md5' || t === 'sha1' || t === 'sha256' || t === 'sha512';
}

function hex(value: string, what: string): string {
  const v = value.trim().toLowerCase();
  if (!/^[0-9a-f]*$/.test(v) || v.length % 2 !== 0 || v === '') throw new ChecksumError(`invalid checksum ${JSON.stringify(what)}: the digest must be hexadecimal`);
  return v;
}

/** "sha256:abc…" or a bare digest; throws on anything else. */
export function parseChecksumValue(value: string): Checksum {
  const i = value.indexOf(':');
  if (i < 0) {
    const digest = hex(value, value);
    const type = BY_LENGTH[digest.length];
    if (!type) throw new ChecksumError(`unknown type for checksum ${value}: give it as "sha256:…" (md5, sha1, sha256 or sha512)`);
    return { type, digest };
  }
  const type = value.slice(0, i).trim().toLowerCase();
  if (!isType(type)) throw new ChecksumError(`unsupported checksum type: ${value.slice(0, i)} (expected md5, sha1, sha256 or sha512)`);
  const digest = hex(value.slice(i + 1), value);
  if (digest.length !== LENGTH[type]) throw new ChecksumError(`invalid ${type} checksum ${JSON.stringify(value.slice(i + 1))}: expected ${LENGTH[type]} hex characters, got ${digest.length}`);
  return { type, digest };
}

/** A `file:URL` checksum names a checksum file; returns its URL, or undefined for a direct value. */
export function checksumFileURL(option: string): string | undefined {
  return option.startsWith('file:') ? option.slice('file:'.length) : undefined;
}

/** One line of a checksum file: [checksum, file name ('' when the line has none)], or undefined. */
function parseLine(line: string): [Checksum, string] | undefined {
  const parts = line.trim().split(/\s+/).filter((s) => s !== '');
  try {
    if (parts.length === 4) {
      // BSD style: SHA256 (file.tgz) = digest
      const name = parts[1] ?? '';
      if (name.length <= 2 || !name.startsWith('(') || !name.endsWith(')')) return undefined;
      return [parseChecksumValue(`${(parts[0] ?? '').toLowerCase()}:${parts[3] ?? ''}`), name.slice(1, -1)];
    }
    if (parts.length === 2) return [parseChecksumValue(parts[0] ?? ''), parts[1] ?? ''];
    if (parts.length === 0) return undefined;
    return [parseChecksumValue(parts[0] ?? ''), ''];
  } catch {
    return undefined;
  }
}

/**
 * Finds the artifact's checksum in a checksum file's text (go-getter's ChecksumFromFile): the first
 * line without a file name, or whose name is the artifact's (also "*name", "?name", or its path
 * relative to the checksum file's directory, with or without "./").
 */
export function checksumFromFile(text: string, artifactPath: string, checksumPath: string, fileLabel: string): Checksum {
  const name = path.posix.basename(artifactPath);
  const rel = path.posix.relative(path.posix.dirname(checksumPath), artifactPath);
  const options = new Set([name, `*${name}`, `?${name}`, rel, `./${rel}`]);
  for (const line of text.split('\n')) {
    const parsed = parseLine(line);
    if (!parsed) continue;
    const [sum, file] = parsed;
    if (file === '' || options.has(file)) return sum;
  }
  throw new ChecksumError(`no checksum found in: ${fileLabel}`);
}

/** Hashes `file` and fails with go-getter's "Checksums did not match" when it differs. */
export async function verifyFile(file: string, sum: Checksum, label: string): Promise<void> {
  const h = createHash(sum.type);
  await pipeline(fs.createReadStream(file), h);
  const got = h.digest('hex');
  if (got !== sum.digest) throw new ChecksumError(`Checksums did not match for ${label}: expected ${sum.type} ${sum.digest}, got ${got}`);
}
