import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nomadFunctions } from './index.js';

// Nomad's jobspec2 function set (without try and can, which the evaluator owns), plus the
// conversion and convenience functions Roam adds.
const nomad = [
  'abs', 'abspath', 'base64decode', 'base64encode', 'basename', 'bcrypt', 'ceil', 'chomp', 'chunklist', 'cidrhost', 'cidrnetmask',
  'cidrsubnet', 'cidrsubnets', 'coalesce', 'coalescelist', 'compact', 'concat', 'contains', 'convert', 'csvdecode', 'dirname',
  'distinct', 'element', 'file', 'filebase64', 'fileexists', 'fileset', 'flatten', 'floor', 'format', 'formatdate', 'formatlist',
  'indent', 'index', 'join', 'jsondecode', 'jsonencode', 'keys', 'length', 'log', 'lookup', 'lower', 'max', 'md5', 'merge', 'min',
  'parseint', 'pathexpand', 'pow', 'range', 'regex_replace', 'replace', 'reverse', 'rsadecrypt', 'setintersection', 'setproduct',
  'setunion', 'sha1', 'sha256', 'sha512', 'signum', 'slice', 'sort', 'split', 'strlen', 'strrev', 'substr', 'timeadd', 'timestamp',
  'title', 'trim', 'trimprefix', 'trimspace', 'trimsuffix', 'upper', 'urlencode', 'uuidv4', 'uuidv5', 'values', 'yamldecode',
  'yamlencode', 'zipmap',
];
const extras = [
  'tostring', 'tonumber', 'tobool', 'tolist', 'toset', 'tomap', 'regex', 'regexall', 'startswith', 'endswith', 'strcontains', 'sum',
  'one', 'alltrue', 'anytrue', 'transpose', 'setsubtract', 'base64sha256', 'base64sha512', 'filemd5', 'filesha1', 'filesha256',
  'filesha512', 'filebase64sha256', 'filebase64sha512',
];

test('nomadFunctions offers exactly Nomad\'s set plus the documented extras', () => {
  const names = Object.keys(nomadFunctions()).sort();
  assert.deepEqual(names, [...nomad, ...extras].sort());
  assert.ok(!names.includes('try') && !names.includes('can'));
});

test('every function declares its parameters', () => {
  for (const [name, fn] of Object.entries(nomadFunctions())) {
    assert.ok(Array.isArray(fn.params), name);
    assert.ok(fn.params.length > 0 || fn.variadic !== undefined || ['uuidv4', 'timestamp'].includes(name), `${name} takes no arguments?`);
  }
});
