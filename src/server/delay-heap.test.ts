import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DelayHeap, Heap } from './delay-heap.js';

test('Heap pops in order under random pushes and pops', () => {
  let seed = 42;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const heap = new Heap<number>((a, b) => a < b);
  const model: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    if (rand() < 0.6) {
      const v = Math.floor(rand() * 100);
      heap.push(v);
      model.push(v);
      model.sort((a, b) => a - b);
    } else {
      assert.equal(heap.pop(), model.shift());
    }
    assert.equal(heap.size, model.length);
    assert.equal(heap.peek(), model[0]);
  }
  assert.deepEqual(heap.sorted(), model);
  assert.deepEqual(heap.drain(), model);
  assert.equal(heap.size, 0);
});

test('DelayHeap releases due items earliest first, ties in insertion order, honouring remove and replace', () => {
  const dh = new DelayHeap<string>();
  dh.push('a', 30, 'a');
  dh.push('b', 10, 'b');
  dh.push('c', 10, 'c');
  dh.push('d', 20, 'd');
  dh.push('a', 5, 'a2'); // replaces a's entry
  dh.remove('d');
  assert.equal(dh.size, 3);
  const top = dh.peek();
  assert.deepEqual([top?.id, top?.at, top?.value], ['a', 5, 'a2']);
  assert.deepEqual(dh.popDue(4), []);
  assert.deepEqual(dh.popDue(10), ['a2', 'b', 'c']);
  assert.equal(dh.size, 0);
  assert.equal(dh.peek(), undefined, 'the stale entries of a and d are skipped');
  dh.push('e', 1, 'e');
  dh.clear();
  assert.deepEqual([dh.size, dh.has('e'), dh.popDue(100)], [0, false, []]);
});
