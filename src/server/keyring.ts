// The cluster keyring: one AES-256 root key that encrypts variables at rest (Nomad's encrypter.go
// with its root keys). The key is created on first use and stored in the `meta` table as
// `{KeyID, Key (base64)}`, so every server reads the same key from the replicated state.
//
// NOTE: keeping the key in the same state store as the ciphertext only protects against someone
// reading the stored variable rows alone (snapshots of the variables table, logs, debugging
// dumps). A real deployment keeps root keys out of the state store (Nomad writes them to the
// server's keystore on disk, wrapped by a KMS), and rotates them (Nomad: every 30 days, with a
// rekey job); neither is done here.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { keys } from '../state/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import type { ServerContext } from './context.js';
import { put, unchanged } from './state-writer.js';

export const ROOT_KEY_META = 'keyring_root_key';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The stored form of the root key (meta table). */
export interface StoredRootKey {
  KeyID: string;
  Algorithm: 'aes256-gcm';
  /** base64 of the 32 key bytes. */
  Key: string;
  CreateTime: number;
}

export interface RootKey {
  id: string;
  key: Buffer;
}

export class KeyringError extends Error {}

function decodeKey(stored: StoredRootKey): RootKey {
  const key = Buffer.from(stored.Key, 'base64');
  if (key.length !== 32) throw new KeyringError(`root key ${stored.KeyID} is not an AES-256 key`);
  return { id: stored.KeyID, key };
}

export class Keyring {
  private cached: RootKey | undefined;

  constructor(private readonly ctx: ServerContext) {}

  /** The active root key, created and stored on first use. */
  async activeKey(): Promise<RootKey> {
    if (this.cached) return this.cached;
    const existing = this.ctx.store.snapshot().meta<StoredRootKey>(ROOT_KEY_META);
    if (existing) return (this.cached = decodeKey(existing));
    const committed = await this.ctx.writer.txn((snap) => {
      const found = snap.meta<StoredRootKey>(ROOT_KEY_META);
      if (found) return { ops: [], result: found };
      const created: StoredRootKey = { KeyID: randomUUID(), Algorithm: 'aes256-gcm', Key: randomBytes(32).toString('base64'), CreateTime: this.ctx.now() };
      // Only if nobody else created one meanwhile (another server): otherwise the txn is rebuilt and finds theirs.
      return { ops: [put(keys.meta(ROOT_KEY_META), created)], compares: [unchanged(keys.meta(ROOT_KEY_META), 0)], result: created };
    });
    return (this.cached = decodeKey(committed.result));
  }

  /** The key with this ID, from the state (there is only ever one, as keys are not rotated). */
  keyByID(snap: StateSnapshot, keyID: string): RootKey {
    if (this.cached?.id === keyID) return this.cached;
    const stored = snap.meta<StoredRootKey>(ROOT_KEY_META);
    if (!stored || stored.KeyID !== keyID) throw new KeyringError(`root key ${keyID} not found in the keyring`);
    return (this.cached = decodeKey(stored));
  }
}

/** AES-256-GCM with a random 12-byte nonce: base64(nonce ‖ ciphertext ‖ tag). `aad` binds the ciphertext to where it is stored. */
export function encrypt(key: RootKey, plaintext: Buffer, aad: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

export function decrypt(key: RootKey, data: string, aad: string): Buffer {
  const raw = Buffer.from(data, 'base64');
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new KeyringError('encrypted data is too short');
  const nonce = raw.subarray(0, NONCE_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new KeyringError('decrypting data failed: wrong key or tampered ciphertext');
  }
}
