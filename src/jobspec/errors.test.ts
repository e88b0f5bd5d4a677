// One test per class of mistake a user makes in a job file: the message says what is wrong and
// the position points at it (file:line:col), for parse/decode errors and for validation errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalizeJob, formatDiagnostics, formatJobErrors, parseJobFile, validateJob, type ParseOptions } from './index.js';

const base: ParseOptions = { allowFS: false, baseDir: '/nonexistent', env: {} };

/** Parses src and returns the rendered first error, which must exist. */
function parseError(src: string, opts: Partial<ParseOptions> = {}): string {
  const r = parseJobFile(src, 'job.nomad.hcl', { ...base, ...opts });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.ok(errors.length > 0, 'expected an error');
  assert.equal(r.job, undefined);
  return formatDiagnostics(errors, { 'job.nomad.hcl': src });
}

/** Parses and validates src (which must parse) and returns the rendered validation errors. */
function validationErrors(src: string): string {
  const r = parseJobFile(src, 'job.nomad.hcl', base);
  assert.ok(r.job, formatDiagnostics(r.diagnostics, { 'job.nomad.hcl': src }));
  const errors = validateJob(canonicalizeJob(r.job));
  assert.ok(errors.length > 0, 'expected validation errors');
  return formatJobErrors(errors, r.positions);
}

const wrap = (group: string): string => `job "j" {\n  group "g" {\n${group}\n  }\n}\n`;
const task = (body: string): string => wrap(`    task "t" {\n      driver = "docker"\n${body}\n    }`);

test('unknown attribute: suggestion and position', () => {
  const out = parseError(wrap(`    network {\n      port "web" {\n        statik = 5000\n      }\n    }\n    task "t" { driver = "docker" }`));
  assert.match(out, /^job\.nomad\.hcl:5:9: Unsupported argument; an argument named "statik" is not expected here\. Did you mean "static"\?/);
  assert.match(out, /\n {2}5 \| {9}statik = 5000\n {4}\| {9}\^{6}$/);
});

test('unknown block: suggestion', () => {
  const out = parseError(wrap('    tsk "t" {\n      driver = "docker"\n    }'));
  assert.match(out, /^job\.nomad\.hcl:3:5: Unsupported block type; blocks of type "tsk" are not expected here\. Did you mean "task"\?/);
});

test('wrong type: a number is required', () => {
  const out = parseError(wrap('    count = "three"\n    task "t" { driver = "docker" }'));
  assert.match(out, /^job\.nomad\.hcl:3:13: Incorrect attribute value type; inappropriate value for attribute "count": a number is required/);
});

test('bad duration', () => {
  const out = parseError(task('      kill_timeout = "5 seconds"'));
  assert.match(out, /^job\.nomad\.hcl:5:22: Unsuitable value type; unsuitable duration value for "kill_timeout": invalid duration "5 seconds"/);
});

test('duplicate single block', () => {
  const out = parseError(task('      restart {}\n      restart {}'));
  assert.match(out, /^job\.nomad\.hcl:6:7: Duplicate restart block; only one restart block is allowed/);
});

test('meta as both block and attribute', () => {
  const out = parseError('job "j" {\n  meta = { a = "1" }\n  meta {\n    b = "2"\n  }\n  group "g" {\n    task "t" {\n      driver = "x"\n    }\n  }\n}\n');
  assert.match(out, /^job\.nomad\.hcl:3:3: Duplicate meta block/);
});

test('missing and duplicate job blocks', () => {
  assert.match(parseError('variable "x" { default = 1 }\n'), /Missing job block; a job block is required/);
  assert.match(parseError('job "a" {\n  group "g" {\n    task "t" {\n      driver = "x"\n    }\n  }\n}\njob "b" {}\n'), /^job\.nomad\.hcl:8:1: Duplicate job block/);
});

test('variable validation failure shows the custom message at the value', () => {
  const src = 'variable "n" {\n  type    = number\n  default = 20\n  validation {\n    condition     = var.n < 10\n    error_message = "n must be below 10."\n  }\n}\njob "j" {\n  group "g" {\n    count = var.n\n    task "t" { driver = "x" }\n  }\n}\n';
  const out = parseError(src);
  assert.match(out, /^job\.nomad\.hcl:3:13: Invalid value for default variable; n must be below 10\.\n\nThis was checked by the validation rule at job\.nomad\.hcl:4,3-15\./);
  const fromFlag = parseError(src, { vars: { n: '30' } });
  assert.match(fromFlag, /Invalid value for cmd variable; n must be below 10\./);
  assert.equal(parseJobFile(src, 'job.nomad.hcl', { ...base, vars: { n: '3' } }).job?.TaskGroups?.[0]?.Count, 3);
});

test('undeclared -var is an error when strict, a warning otherwise', () => {
  const src = 'job "j" {\n  group "g" {\n    task "t" {\n      driver = "x"\n    }\n  }\n}\n';
  assert.match(parseError(src, { vars: { nope: '1' } }), /Undefined -var variable; a "nope" variable was passed in the command line but was not found/);
  const lax = parseJobFile(src, 'job.nomad.hcl', { ...base, vars: { nope: '1' }, strict: false });
  assert.ok(lax.job);
  assert.equal(lax.diagnostics[0]?.severity, 'warning');
});

test('variable precedence: default < NOMAD_VAR_ < var file < -var', () => {
  const src = 'variable "img" { default = "a" }\njob "j" {\n  group "g" {\n    task "t" {\n      driver = "x"\n      config { image = var.img }\n    }\n  }\n}\n';
  const image = (opts: Partial<ParseOptions>): unknown => parseJobFile(src, 'job.nomad.hcl', { ...base, ...opts }).job?.TaskGroups?.[0]?.Tasks?.[0]?.Config?.['image'];
  assert.equal(image({}), 'a');
  assert.equal(image({ env: { NOMAD_VAR_img: 'b' } }), 'b');
  assert.equal(image({ env: { NOMAD_VAR_img: 'b' }, varFiles: [{ name: 'v.hcl', text: 'img = "c"\n' }] }), 'c');
  assert.equal(image({ env: { NOMAD_VAR_img: 'b' }, varFiles: [{ name: 'v.json', text: '{"img": "c"}' }], vars: { img: 'd' } }), 'd');
});

test('typed -var values are converted, and rejected when they do not fit', () => {
  const src = 'variable "n" { type = number }\nvariable "l" { type = list(string) }\njob "j" {\n  group "g" {\n    count = var.n\n    task "t" {\n      driver = "x"\n      config { args = var.l }\n    }\n  }\n}\n';
  const ok = parseJobFile(src, 'job.nomad.hcl', { ...base, vars: { n: '4', l: '["a", "b"]' } });
  assert.equal(ok.job?.TaskGroups?.[0]?.Count, 4);
  assert.deepEqual(ok.job?.TaskGroups?.[0]?.Tasks?.[0]?.Config?.['args'], ['a', 'b']);
  assert.match(parseError(src, { vars: { n: 'four', l: '[]' } }), /Invalid argument value for -var variable; the received arg value for n is not compatible/);
  assert.match(parseError(src, { vars: { l: '[]' } }), /^job\.nomad\.hcl:1:1: Unset variable/);
});

test('locals cycle is named', () => {
  const out = parseError('locals {\n  a = local.b\n  b = local.c\n  c = local.a\n}\njob "j" {\n  group "g" {\n    task "t" {\n      driver = "x"\n    }\n  }\n}\n');
  assert.match(out, /^job\.nomad\.hcl:2:3: Circular reference in locals; the local values refer to each other in a cycle: local\.a → local\.b → local\.c → local\.a/);
});

test('duplicate group names', () => {
  const out = validationErrors('job "j" {\n  group "g" {\n    task "t" { driver = "x" }\n  }\n  group "g" {\n    task "t" { driver = "x" }\n  }\n}\n');
  assert.match(out, /\t\* job\.nomad\.hcl:2:3: group "g": Job task group 2 redefines 'g' from group 1/);
});

test('undefined port label in a service and in the driver ports', () => {
  const out = validationErrors(task('      config {\n        ports = ["http"]\n      }\n      service {\n        port = "htp"\n        provider = "nomad"\n      }'));
  assert.match(out, /job\.nomad\.hcl:8:7: group "g" → task "t" → service\[0\]: Service "j-g-t" uses port label "htp", which is not defined/);
  assert.match(out, /job\.nomad\.hcl:5:7: group "g" → task "t" → config: Port label "http" in the driver's ports is not defined/);
});

test('periodic on a service job', () => {
  const out = validationErrors('job "j" {\n  periodic {\n    crons = ["*/5 * * * *"]\n  }\n  group "g" {\n    task "t" { driver = "x" }\n  }\n}\n');
  assert.match(out, /\t\* job\.nomad\.hcl:2:3: periodic: Periodic can only be used with "batch" or "sysbatch" scheduler/);
});

test('group restart: attempts * delay > interval (group level only, as Nomad)', () => {
  const out = validationErrors(wrap('    restart {\n      attempts = 3\n      delay    = "10s"\n      interval = "20s"\n    }\n    task "t" { driver = "x" }'));
  assert.match(out, /job\.nomad\.hcl:3:5: group "g" → restart: Nomad can't restart the TaskGroup 3 times in an interval of 20s with a delay of 10s/);
  // The same block at task level is merged but not validated (the demo's employee job relies on it).
  const r = parseJobFile(task('      restart {\n        attempts = 2\n        delay = "15s"\n        interval = "10s"\n      }'), 'job.nomad.hcl', { ...base });
  assert.ok(r.job);
  assert.deepEqual(validateJob(canonicalizeJob({ ...r.job, Type: 'batch' })), []);
});

test('missing driver, several errors at once', () => {
  const out = validationErrors('job "j" {\n  priority = 200\n  group "g" {\n    count = -1\n    task "t" {\n      resources {\n        memory = 5\n      }\n    }\n  }\n}\n');
  assert.match(out, /^4 errors occurred:\n/);
  assert.match(out, /job\.nomad\.hcl:1:1: Job priority must be between \[1, 100\]/);
  assert.match(out, /group "g": Task group count can't be negative/);
  assert.match(out, /job\.nomad\.hcl:5:5: group "g" → task "t": Missing task driver/);
  assert.match(out, /group "g" → task "t" → resources: minimum MemoryMB value is 10; got 5/);
});

test('template, update, reschedule and nomad-provider check rules', () => {
  const out = validationErrors(
    wrap(
      '    update {\n      auto_promote = true\n    }\n    reschedule {\n      delay_function = "linear"\n    }\n    network {\n      port "http" {}\n    }\n    service {\n      port = "http"\n      provider = "nomad"\n      check {\n        type = "script"\n        command = "x"\n        interval = "10s"\n        timeout = "1s"\n      }\n    }\n    task "t" {\n      driver = "x"\n      template {\n        change_mode = "reload"\n      }\n    }',
    ),
  );
  assert.match(out, /group "g" → update: Auto Promote requires a Canary count greater than zero/);
  assert.match(out, /group "g" → reschedule: Invalid delay function "linear"/);
  assert.match(out, /group "g" → service\[0\] → check\[0\]: invalid check type \("script"\), must be one of tcp, http/);
  assert.match(out, /template\[0\]: Must specify a source path or have an embedded template/);
  assert.match(out, /template\[0\]: Must specify a destination for the template/);
  assert.match(out, /template\[0\]: Invalid change mode "reload"/);
});

test('nomad-provider checks: Nomad\'s rules, the first problem of each check', () => {
  const check = (body: string): string => `      check {\n${body}\n      }`;
  const out = validationErrors(
    wrap(
      [
        '    network {\n      port "http" {}\n    }',
        '    service {\n      name = "noport"\n      provider = "nomad"',
        check('        type = "tcp"\n        interval = "10s"\n        timeout = "1s"'),
        '    }',
        '    service {\n      name = "web"\n      port = "http"\n      provider = "nomad"',
        check('        name = "fast"\n        type = "http"\n        path = "/"\n        interval = "500ms"\n        timeout = "1s"'),
        check('        name = "abs"\n        type = "http"\n        path = "http://example.com/x"\n        interval = "10s"\n        timeout = "1s"'),
        check('        name = "verb"\n        type = "http"\n        path = "/"\n        method = "FETCH"\n        interval = "10s"\n        timeout = "1s"'),
        check('        name = "ready"\n        type = "tcp"\n        on_update = "ignore"\n        interval = "10s"\n        timeout = "1s"\n        check_restart {\n          limit = 2\n        }'),
        check('        name = "notimeout"\n        type = "tcp"\n        interval = "10s"'),
        '    }',
        '    task "t" {\n      driver = "x"\n    }',
      ].join('\n'),
    ),
  );
  assert.match(out, /service\[0\] → check\[0\]: Check service: "noport" check invalid: check requires a port but neither check nor service "noport" have a port/);
  assert.match(out, /service\[1\] → check\[0\]: interval \(500ms\) cannot be lower than 1s/);
  assert.match(out, /service\[1\] → check\[1\]: http type must have relative http path/);
  assert.match(out, /service\[1\] → check\[2\]: method type "FETCH" not supported in Nomad http check/);
  assert.match(out, /service\[1\] → check\[3\]: on_update value "ignore" is not compatible with check_restart/);
  assert.match(out, /service\[1\] → check\[4\]: missing required value timeout\. Timeout cannot be less than 1s/);
});

test('constraint shorthands and affinity defaults', () => {
  const src =
    'job "j" {\n  constraint {\n    attribute = "${attr.os.name}"\n    regexp = "^ubu"\n  }\n  constraint {\n    distinct_property = "${meta.rack}"\n  }\n  constraint {\n    is_set = "${meta.gpu}"\n  }\n  affinity {\n    attribute = "${meta.x}"\n    set_contains_any = "a,b"\n  }\n  group "g" {\n    task "t" {\n      driver = "x"\n    }\n  }\n}\n';
  const r = parseJobFile(src, 'job.nomad.hcl', base);
  assert.ok(r.job);
  const job = canonicalizeJob(r.job);
  assert.deepEqual(job.Constraints, [
    { LTarget: '${attr.os.name}', RTarget: '^ubu', Operand: 'regexp' },
    { LTarget: '${meta.rack}', RTarget: '', Operand: 'distinct_property' },
    { LTarget: '${meta.gpu}', RTarget: '', Operand: 'is_set' },
  ]);
  assert.deepEqual(job.Affinities, [{ LTarget: '${meta.x}', RTarget: 'a,b', Operand: 'set_contains_any', Weight: 50 }]);
});

test('HCL syntax errors stop before decoding and are positioned', () => {
  const out = parseError('job "j" {\n  group "g" {\n    count = \n  }\n}\n');
  assert.match(out, /^job\.nomad\.hcl:3:/);
});
