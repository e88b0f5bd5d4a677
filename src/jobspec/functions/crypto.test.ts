import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import fc from 'fast-check';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('hashes and name-based UUIDs follow the go-cty-funcs examples', () => {
  const cases: Case[] = [
    ['md5', ['hello world'], '5eb63bbbe01eeed093cb22bb8f5acdc3'],
    ['sha1', ['hello world'], '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed'],
    ['sha256', ['hello world'], 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'],
    ['sha512', ['hello world'], '309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f'],
    ['base64sha256', ['hello world'], 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek='],
    ['base64sha512', ['hello world'], 'MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=='],
    ['uuidv5', ['dns', 'www.terraform.io'], 'a5008fae-b28c-5ba5-96cd-82b4c53552d6'],
    ['uuidv5', ['url', 'https://www.terraform.io/'], '9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5'],
    ['uuidv5', ['oid', '1.3.6.1.4'], 'af9d40a5-7a36-5c07-b23a-851cd99fbfa5'],
    ['uuidv5', ['x500', 'CN=Example Company Name,OU=Org Unit Name,O=Org Name,L=City,ST=State,C=US'], 'f579dcf1-ba39-54fe-80d2-7231b75cf3fa'],
    ['uuidv5', ['6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.terraform.io'], 'a5008fae-b28c-5ba5-96cd-82b4c53552d6'],
  ];
  checkCases(cases);
});

test('crypto functions reject bad arguments', () => {
  const errors: ErrorCase[] = [
    ['uuidv5', ['nope', 'x'], 0, "uuidv5() doesn't support namespace \"nope\""],
    ['uuidv5', ['constructor', 'x'], 0, "doesn't support namespace"],
    ['bcrypt', ['x', 32], 1, 'outside the allowed range'],
    ['bcrypt', ['x'.repeat(73)], 0, 'longer than 72 bytes'],
    ['bcrypt', ['x', 4, 5], 2, 'no more than two arguments'],
    ['rsadecrypt', ['not base64!', 'k'], 0, 'cipher text must be base64-encoded'],
    ['rsadecrypt', ['aGVsbG8=', 'no key here'], 1, 'failed to parse key: no key found'],
    ['rsadecrypt', ['aGVsbG8=', '-----BEGIN PRIVATE KEY-----\nMA==\n-----END PRIVATE KEY-----'], 1, 'a PKCS #1 "RSA PRIVATE KEY" is required'],
    ['rsadecrypt', ['aGVsbG8=', '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nMA==\n-----END RSA PRIVATE KEY-----'], 1, 'password protected keys are not supported'],
  ];
  checkErrors(errors);
});

test('uuidv4 is a random version 4 UUID', () => {
  const a = call('uuidv4', []) as string;
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(call('uuidv4', []), a);
});

test('bcrypt produces a $2a$ hash that verifies, at the requested cost', () => {
  const hash = call('bcrypt', ['hunter2', 4]) as string;
  assert.match(hash, /^\$2a\$04\$/);
  assert.ok(bcryptjs.compareSync('hunter2', hash));
  assert.match(call('bcrypt', ['x', 2]) as string, /^\$2a\$10\$/);
});

test('rsadecrypt decrypts PKCS #1 v1.5 ciphertext made with the public key', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (plain) => {
      const cipher = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(plain, 'utf8')).toString('base64');
      assert.equal(call('rsadecrypt', [cipher, pem]), plain);
    }),
    { numRuns: 10 },
  );
  checkErrors([['rsadecrypt', [Buffer.alloc(128, 7).toString('base64'), pem], 0, 'decryption error']]);
});

test('hex and base64 digests agree', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const hex = call('sha256', [s]) as string;
      assert.equal(Buffer.from(call('base64sha256', [s]) as string, 'base64').toString('hex'), hex);
    }),
  );
});
