import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareKeys, inBounds, prefixEnd } from './keys.js';

const text = fc.string({ unit: 'grapheme', maxLength: 6 });

void test('compareKeys orders like the UTF-8 bytes etcd and SQLite compare', () => {
  fc.assert(
    fc.property(text, text, (a, b) => {
      const bytes = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      assert.equal(Math.sign(compareKeys(a, b)), bytes);
    }),
  );
  assert.ok(compareKeys('\uFFFD', '\u{1F600}') < 0, 'BMP private-use/specials sort before astral characters');
});

void test('prefixEnd bounds exactly the keys that start with the prefix', () => {
  fc.assert(
    fc.property(text, text, (prefix, key) => {
      const bounds = { start: prefix, end: prefixEnd(prefix) };
      assert.equal(inBounds(key, bounds), key.startsWith(prefix));
      assert.equal(inBounds(prefix + key, bounds), true);
    }),
  );
  assert.equal(prefixEnd(''), undefined);
  assert.equal(prefixEnd('/a'), '/b');
  assert.equal(prefixEnd('a\u{10FFFF}'), 'b');
  assert.equal(prefixEnd('\uD7FF'), '\uE000');
});
