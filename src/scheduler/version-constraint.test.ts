// version (go-version) and semver constraint matching, including pre-release rules, the
// pessimistic operator and unparseable input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionMatches } from './version-constraint.js';

const v = (value: string, c: string): boolean => versionMatches(value, c);
const s = (value: string, c: string): boolean => versionMatches(value, c, true);

describe('version constraints', () => {
  it('ranges with several comparisons', () => {
    assert.equal(v('1.5.0', '>= 1.2, < 2.0'), true);
    assert.equal(v('2.0.0', '>= 1.2, < 2.0'), false);
    assert.equal(v('1.2', '= 1.2.0'), true);
    assert.equal(v('v1.3.0', '> 1.2'), true);
    assert.equal(v('1.3.0', '!= 1.3.0'), false);
  });
  it('~> allows the last given segment to grow', () => {
    assert.equal(v('1.2.9', '~> 1.2.3'), true);
    assert.equal(v('1.3.0', '~> 1.2.3'), false);
    assert.equal(v('1.9.0', '~> 1.2'), true);
    assert.equal(v('2.0.0', '~> 1.2'), false);
  });
  it('a pre-release only satisfies constraints on a pre-release of the same version', () => {
    assert.equal(v('1.3.0-beta1', '>= 1.2.0'), false);
    assert.equal(v('1.3.0-beta2', '>= 1.3.0-beta1'), true);
    assert.equal(v('1.4.0-beta1', '>= 1.3.0-beta1'), false);
    assert.equal(v('1.3.0', '>= 1.3.0-beta1'), true);
    assert.equal(v('1.3.0', '~> 1.3.0-beta1'), false);
  });
  it('unparseable versions or constraints never match', () => {
    assert.equal(v('not-a-version', '>= 1.0'), false);
    assert.equal(v('1.0.0', '>=> 1.0'), false);
    assert.equal(v('1.0.0', ''), false);
  });
});

describe('semver constraints', () => {
  it('compare with semver 2.0 precedence, pre-releases included', () => {
    assert.equal(s('1.3.0-beta1', '>= 1.2.0'), true);
    assert.equal(s('1.0.0-alpha', '< 1.0.0-alpha.1'), true);
    assert.equal(s('1.0.0-alpha.beta', '> 1.0.0-alpha.1'), true);
    assert.equal(s('1.0.0-rc.1', '> 1.0.0-beta.11'), true);
    assert.equal(s('1.0.0+build5', '= 1.0.0'), true);
  });
  it('has no pessimistic operator and rejects junk', () => {
    assert.equal(s('1.2.5', '~> 1.2'), false);
    assert.equal(s('1.2.3beta', '>= 1.0.0'), false);
    assert.equal(s('x', '>= 1.0.0'), false);
  });
});
