// Every constraint operand and target, as Nomad evaluates them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mockNode } from '../structs/mock.js';
import { checkOperand, newConstraintCaches, nodeMeets, resolveTarget } from './constraints.js';

const caches = newConstraintCaches();
const check = (op: string, l: string | undefined, r: string | undefined): boolean => checkOperand(op, l, r, caches);

describe('constraint targets', () => {
  const node = mockNode({ ID: 'n-1', Name: 'alpha', Datacenter: 'dc7', NodeClass: 'big', NodePool: 'gpu' });
  it('resolves node, attr and meta targets, and leaves literals alone', () => {
    assert.equal(resolveTarget('${node.unique.id}', node), 'n-1');
    assert.equal(resolveTarget('${node.unique.name}', node), 'alpha');
    assert.equal(resolveTarget('${node.datacenter}', node), 'dc7');
    assert.equal(resolveTarget('${node.class}', node), 'big');
    assert.equal(resolveTarget('${node.pool}', node), 'gpu');
    assert.equal(resolveTarget('${attr.kernel.name}', node), 'linux');
    assert.equal(resolveTarget('${meta.database}', node), 'mysql');
    assert.equal(resolveTarget('${attr.nope}', node), undefined);
    assert.equal(resolveTarget('${node.bogus}', node), undefined);
    assert.equal(resolveTarget('plain', node), 'plain');
  });
  it('matches a constraint on a node', () => {
    assert.equal(nodeMeets({ LTarget: '${attr.kernel.name}', RTarget: 'linux', Operand: '=' }, node, caches), true);
    assert.equal(nodeMeets({ LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }, node, caches), false);
  });
});

describe('constraint operands', () => {
  it('=, ==, is need both sides and equality', () => {
    for (const op of ['=', '==', 'is']) {
      assert.equal(check(op, 'a', 'a'), true);
      assert.equal(check(op, 'a', 'b'), false);
      assert.equal(check(op, undefined, undefined), false);
    }
  });
  it('!= and not are true when a side is missing', () => {
    for (const op of ['!=', 'not']) {
      assert.equal(check(op, 'a', 'b'), true);
      assert.equal(check(op, 'a', 'a'), false);
      assert.equal(check(op, undefined, 'a'), true);
    }
  });
  it('< <= > >= compare as integers, then floats, then lexically', () => {
    assert.equal(check('<', '9', '10'), true);
    assert.equal(check('>', '10', '9'), true);
    assert.equal(check('<=', '1.5', '1.50'), true);
    assert.equal(check('>=', '2.5', '10'), false);
    assert.equal(check('<', 'abc', 'abd'), true);
    assert.equal(check('>', '9', 'a'), false);
    assert.equal(check('<', undefined, '1'), false);
  });
  it('is_set and is_not_set look only at the left side', () => {
    assert.equal(check('is_set', 'x', undefined), true);
    assert.equal(check('is_set', undefined, undefined), false);
    assert.equal(check('is_not_set', undefined, undefined), true);
  });
  it('regexp searches the left value; an invalid pattern never matches', () => {
    assert.equal(check('regexp', 'linux-5.15', '^linux-5\\.'), true);
    assert.equal(check('regexp', 'darwin', 'lin'), false);
    assert.equal(check('regexp', 'x', '('), false);
  });
  it('set_contains / set_contains_all need every right item, set_contains_any one', () => {
    assert.equal(check('set_contains', 'a, b,c', 'a,c'), true);
    assert.equal(check('set_contains_all', 'a,b', 'a,d'), false);
    assert.equal(check('set_contains_any', 'a,b', 'd, b'), true);
    assert.equal(check('set_contains_any', 'a,b', 'd'), false);
  });
  it('distinct_hosts and distinct_property are not decided here; unknown operands never match', () => {
    assert.equal(check('distinct_hosts', undefined, undefined), true);
    assert.equal(check('distinct_property', undefined, undefined), true);
    assert.equal(check('~=', 'a', 'a'), false);
  });
});
