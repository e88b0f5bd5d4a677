import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoBool } from '../structs/strconv.js';
import { FlagError, FlagSet, HelpRequested, splitKeyValue } from './flags.js';

function jobRunFlags(): FlagSet {
  const fs = new FlagSet('job run');
  fs.bool('detach', false, 'detach');
  fs.bool('verbose', false, 'verbose');
  fs.list('var', 'vars');
  fs.string('address', '', 'address');
  fs.int('check-index', 0, 'index');
  fs.duration('wait', 0, 'wait');
  return fs;
}

test('Go-style flags: single dash, double dash, =value and separate value', () => {
  const fs = jobRunFlags();
  const p = fs.parse(['-detach', '-var', 'image_tag=2.0', '-var=dc=dc2', '--address=http://127.0.0.1:4646', '-check-index', '7', 'web.nomad.hcl']);
  assert.equal(fs.getBool('detach'), true);
  assert.deepEqual(fs.getList('var'), ['image_tag=2.0', 'dc=dc2']);
  assert.equal(fs.getString('address'), 'http://127.0.0.1:4646');
  assert.equal(fs.getInt('check-index'), 7);
  assert.deepEqual(p.args, ['web.nomad.hcl']);
  assert.deepEqual([...p.set].sort(), ['address', 'check-index', 'detach', 'var']);
});

test('booleans take only the = form for a value, as in Go', () => {
  const fs = jobRunFlags();
  const p = fs.parse(['-detach=false', '-verbose', 'true']);
  assert.equal(fs.getBool('detach'), false);
  assert.equal(fs.getBool('verbose'), true);
  assert.deepEqual(p.args, ['true']);
  assert.throws(() => jobRunFlags().parse(['-detach=maybe']), /invalid boolean value "maybe" for -detach: parse error/);
});

test('parsing stops at the first positional argument and at --', () => {
  const fs = jobRunFlags();
  assert.deepEqual(fs.parse(['job.hcl', '-detach']).args, ['job.hcl', '-detach']);
  assert.equal(fs.getBool('detach'), false);
  assert.deepEqual(jobRunFlags().parse(['--', '-detach']).args, ['-detach']);
  assert.deepEqual(jobRunFlags().parse(['-', 'x']).args, ['-', 'x']);
});

test('errors use Go flag wording', () => {
  assert.throws(() => jobRunFlags().parse(['-foo']), (e: unknown) => e instanceof FlagError && e.message === 'flag provided but not defined: -foo');
  assert.throws(() => jobRunFlags().parse(['-address']), /flag needs an argument: -address/);
  assert.throws(() => jobRunFlags().parse(['-check-index=x']), /invalid value "x" for flag -check-index/);
  assert.throws(() => jobRunFlags().parse(['-wait=5']), /invalid value "5" for flag -wait: .*missing unit/);
  assert.throws(() => jobRunFlags().parse(['---x']), /bad flag syntax/);
});

test('-h, -help and --help request help', () => {
  for (const h of ['-h', '-help', '--help']) assert.throws(() => jobRunFlags().parse([h]), HelpRequested);
});

test('durations are parsed to nanoseconds', () => {
  const fs = jobRunFlags();
  fs.parse(['-wait', '1m30s']);
  assert.equal(fs.getDuration('wait'), 90_000_000_000);
});

test('helpers: Go booleans and KEY=VALUE pairs', () => {
  assert.equal(parseGoBool('T'), true);
  assert.equal(parseGoBool('0'), false);
  assert.equal(parseGoBool('yes'), undefined);
  assert.deepEqual(splitKeyValue('budget=200', 'meta'), ['budget', '200']);
  assert.deepEqual(splitKeyValue('a=b=c', 'var'), ['a', 'b=c']);
  assert.throws(() => splitKeyValue('=x', 'meta'), /expected KEY=VALUE/);
});
