// Hashing, bcrypt, RSA decryption and UUIDs, per go-cty-funcs' crypto and uuid packages. Hashes
// are of the string's UTF-8 bytes, rendered as lowercase hex (md5, sha*) or base64 (base64sha*).
// uuidv4 and bcrypt are the library's only sources of randomness, as in Nomad.
import { createHash, createPrivateKey, constants, privateDecrypt, randomUUID } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import type { Value } from '../hcl/value.js';
import { argError, intArg, stringArg } from './args.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { decodeBase64Strict } from './encoding.js';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha512';

export function digest(algorithm: HashAlgorithm, data: string | Buffer, encoding: 'hex' | 'base64'): string {
  return createHash(algorithm).update(data).digest(encoding);
}

function hashFn(algorithm: HashAlgorithm, encoding: 'hex' | 'base64'): HclFunction {
  return { params: ['str'], impl: (args) => digest(algorithm, stringArg(args, 0, 'str'), encoding) };
}

const namespaces: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};

/** Parses a UUID in the forms Go's uuid.Parse accepts: plain, urn:uuid:, braced, or 32 hex digits. */
function parseUuid(s: string): Buffer | undefined {
  const m = /^(?:urn:uuid:)?\{?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{12})\}?$/.exec(s);
  if (m === null) return undefined;
  return Buffer.from(m.slice(1).join(''), 'hex');
}

/** A name-based (SHA-1) UUID, RFC 4122 version 5. */
export function uuidV5(namespace: Buffer, name: string): string {
  const h = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16);
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function bcrypt(args: readonly Value[]): string {
  const input = stringArg(args, 0, 'str');
  if (args.length > 2) throw new FunctionError('bcrypt() takes no more than two arguments', 2);
  let cost = args.length > 1 ? intArg(args, 1, 'cost') : 10;
  // Go's bcrypt quietly raises a cost below the minimum (4) to the default (10).
  if (cost < 4) cost = 10;
  if (cost > 31) throw argError(1, 'cost', `bcrypt cost ${cost} is outside the allowed range (4,31)`);
  if (Buffer.byteLength(input, 'utf8') > 72) throw argError(0, 'str', 'bcrypt cannot hash a password longer than 72 bytes');
  // Go writes the $2a$ prefix; the hash itself is the same for $2a$ and $2b$.
  return bcryptjs.hashSync(input, cost).replace(/^\$2b\$/, '$2a$');
}

/**
 * RSA PKCS #1 v1.5 decryption with a PKCS #1 PEM private key. Node refuses PKCS #1 v1.5 padding
 * in privateDecrypt, so the raw RSA operation is done without padding and the padding checked here.
 */
function rsadecrypt(args: readonly Value[]): string {
  const cipherB64 = stringArg(args, 0, 'ciphertext');
  const pem = stringArg(args, 1, 'privatekey');
  const cipher = decodeBase64Strict(cipherB64);
  if (cipher === undefined) throw argError(0, 'ciphertext', `failed to decode input ${JSON.stringify(cipherB64)}: cipher text must be base64-encoded`);
  const block = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (block === null) throw argError(1, 'privatekey', 'failed to parse key: no key found');
  if (/Proc-Type:\s*4,ENCRYPTED/.test(block[2] ?? '')) {
    throw argError(1, 'privatekey', 'failed to parse key: password protected keys are not supported. Please decrypt the key prior to use');
  }
  if (block[1] !== 'RSA PRIVATE KEY') {
    throw argError(1, 'privatekey', `failed to parse key: a PKCS #1 "RSA PRIVATE KEY" is required, but got a ${JSON.stringify(block[1])} block`);
  }
  let key;
  try {
    key = createPrivateKey({ key: block[0], format: 'pem' });
  } catch (err) {
    throw argError(1, 'privatekey', `failed to parse key: ${err instanceof Error ? err.message : String(err)}`);
  }
  const size = ((key.asymmetricKeyDetails?.modulusLength ?? 0) + 7) >> 3;
  const fail = (): never => {
    throw argError(0, 'ciphertext', 'crypto/rsa: decryption error');
  };
  if (cipher.length !== size) fail();
  let em: Buffer;
  try {
    em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, cipher);
  } catch {
    return fail();
  }
  // EM = 0x00 || 0x02 || PS (at least 8 non-zero bytes) || 0x00 || M
  const sep = em.indexOf(0, 2);
  if (em[0] !== 0 || em[1] !== 2 || sep < 10) fail();
  return em.subarray(sep + 1).toString('utf8');
}

export const cryptoFunctions: Record<string, HclFunction> = {
  md5: hashFn('md5', 'hex'),
  sha1: hashFn('sha1', 'hex'),
  sha256: hashFn('sha256', 'hex'),
  sha512: hashFn('sha512', 'hex'),
  base64sha256: hashFn('sha256', 'base64'),
  base64sha512: hashFn('sha512', 'base64'),
  bcrypt: { params: ['str'], variadic: 'cost', impl: bcrypt },
  rsadecrypt: { params: ['ciphertext', 'privatekey'], impl: rsadecrypt },
  uuidv4: { params: [], impl: () => randomUUID() },
  uuidv5: {
    params: ['namespace', 'name'],
    impl(args) {
      const ns = stringArg(args, 0, 'namespace');
      const name = stringArg(args, 1, 'name');
      const bytes = parseUuid(Object.hasOwn(namespaces, ns) ? (namespaces[ns] ?? ns) : ns);
      if (bytes === undefined) {
        throw argError(0, 'namespace', `uuidv5() doesn't support namespace ${JSON.stringify(ns)}: use "dns", "url", "oid", "x500" or a UUID`);
      }
      return uuidV5(bytes, name);
    },
  },
};
