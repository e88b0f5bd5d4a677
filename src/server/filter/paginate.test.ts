import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareIndexedTokens, compareTokens, compileFilter, paginate } from './index.js';
import type { PageOptions } from './index.js';

interface Item {
  readonly ID: string;
  readonly Status: string;
}
const item = (ID: string, Status = 'running'): Item => ({ ID, Status });
const items = ['a', 'b', 'c', 'd', 'e'].map((id) => item(id));
const ids = (page: readonly Item[]): string[] => page.map((i) => i.ID);

function page(opts: Partial<PageOptions<Item>> & { perPage: number; nextToken: string }, list: readonly Item[] = items): [string[], string] {
  const out = paginate(list, { tokenOf: (i) => i.ID, ...opts });
  return [ids(out.page), out.nextToken];
}

describe('paginate', () => {
  test('first, middle and last page', () => {
    assert.deepEqual(page({ perPage: 2, nextToken: '' }), [['a', 'b'], 'c']);
    assert.deepEqual(page({ perPage: 2, nextToken: 'c' }), [['c', 'd'], 'e']);
    assert.deepEqual(page({ perPage: 2, nextToken: 'e' }), [['e'], '']);
  });
  test('a page that ends exactly at the last item has no next token', () => {
    assert.deepEqual(page({ perPage: 5, nextToken: '' }), [['a', 'b', 'c', 'd', 'e'], '']);
    assert.deepEqual(page({ perPage: 3, nextToken: 'c' }), [['c', 'd', 'e'], '']);
  });
  test('perPage 0 means everything from the token on', () => {
    assert.deepEqual(page({ perPage: 0, nextToken: '' }), [['a', 'b', 'c', 'd', 'e'], '']);
    assert.deepEqual(page({ perPage: 0, nextToken: 'd' }), [['d', 'e'], '']);
  });
  test('an unknown token starts at the first item after where it would sort', () => {
    assert.deepEqual(page({ perPage: 2, nextToken: 'bb' }), [['c', 'd'], 'e']);
    assert.deepEqual(page({ perPage: 2, nextToken: '0' }), [['a', 'b'], 'c']);
    assert.deepEqual(page({ perPage: 2, nextToken: 'z' }), [[], '']);
  });
  test('reverse: items in descending order, the page starts at the first token ≤ nextToken', () => {
    const desc = [...items].reverse();
    assert.deepEqual(page({ perPage: 2, nextToken: '', reverse: true }, desc), [['e', 'd'], 'c']);
    assert.deepEqual(page({ perPage: 2, nextToken: 'c', reverse: true }, desc), [['c', 'b'], 'a']);
    assert.deepEqual(page({ perPage: 2, nextToken: 'a', reverse: true }, desc), [['a'], '']);
    assert.deepEqual(page({ perPage: 2, nextToken: 'cc', reverse: true }, desc), [['c', 'b'], 'a']);
    assert.deepEqual(page({ perPage: 0, nextToken: '', reverse: true }, desc), [['e', 'd', 'c', 'b', 'a'], '']);
  });
  test('keep filters before counting, and the next token names the next kept item', () => {
    const mixed = [item('a'), item('b', 'dead'), item('c'), item('d', 'dead'), item('e', 'dead'), item('f')];
    const f = compileFilter('Status == running');
    const keep = (i: Item): boolean => f.matches(i);
    assert.deepEqual(page({ perPage: 2, nextToken: '', keep }, mixed), [['a', 'c'], 'f']);
    assert.deepEqual(page({ perPage: 2, nextToken: 'f', keep }, mixed), [['f'], '']);
    assert.deepEqual(page({ perPage: 2, nextToken: 'b', keep }, mixed), [['c', 'f'], '']);
  });
  test('walking every page visits each item exactly once', () => {
    const many = Array.from({ length: 23 }, (_, i) => item(`id-${String(i).padStart(3, '0')}`));
    for (const perPage of [1, 2, 5, 22, 23, 24]) {
      const seen: string[] = [];
      let token = '';
      let guard = 0;
      do {
        const out = paginate(many, { perPage, nextToken: token, tokenOf: (i) => i.ID });
        seen.push(...ids(out.page));
        token = out.nextToken;
      } while (token !== '' && ++guard < 100);
      assert.deepEqual(seen, ids(many), `perPage ${perPage}`);
    }
  });
  test('a negative or fractional perPage is refused', () => {
    assert.throws(() => page({ perPage: -1, nextToken: '' }), RangeError);
    assert.throws(() => page({ perPage: 1.5, nextToken: '' }), RangeError);
  });
  test('composite CreateIndex.ID tokens order the index numerically with compareIndexedTokens', () => {
    const byIndex = ['9.x', '10.a', '101.b', '1009.c'].map((id) => item(id));
    assert.deepEqual(page({ perPage: 1, nextToken: '101.b', compare: compareIndexedTokens }, byIndex), [['101.b'], '1009.c']);
    assert.deepEqual(page({ perPage: 1, nextToken: '100.z', compare: compareIndexedTokens }, byIndex), [['101.b'], '1009.c']);
    // Plain string order gets numeric indexes wrong: "9.x" sorts after "101.b" as a string.
    assert.deepEqual(page({ perPage: 1, nextToken: '101.b' }, byIndex), [['9.x'], '10.a']);
    assert.deepEqual(page({ perPage: 0, nextToken: '1000.a', compare: compareIndexedTokens }, byIndex), [['1009.c'], '']);
  });
});

describe('token order', () => {
  test('compareTokens is Go byte order (code points), not UTF-16 order', () => {
    assert.equal(compareTokens('a', 'b'), -1);
    assert.equal(compareTokens('b', 'a'), 1);
    assert.equal(compareTokens('a', 'a'), 0);
    assert.equal(compareTokens('a', 'ab'), -1);
    assert.equal(compareTokens('\u{1F600}', '\uFFFF'), 1);
    assert.ok('\u{1F600}' < '\uFFFF', 'JavaScript < disagrees');
  });
  test('compareIndexedTokens compares the numeric prefix as a number, then the rest', () => {
    assert.equal(compareIndexedTokens('1009.a', '101.a'), 1);
    assert.equal(compareIndexedTokens('101.a', '101.b'), -1);
    assert.equal(compareIndexedTokens('007.a', '7.a'), 0);
    assert.equal(compareIndexedTokens('12345678901234567890.a', '12345678901234567891.a'), -1);
    assert.equal(compareIndexedTokens('abc', '10.a'), 1);
  });
});
