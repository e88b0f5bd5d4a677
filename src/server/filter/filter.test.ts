import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterError, applyFilter, compileFilter } from './index.js';
import { alloc, job, nodeJson } from './fixtures/nomad-objects.js';

/** Each expression and whether `obj` passes it. */
function table(obj: unknown, cases: readonly (readonly [string, boolean])[]): void {
  for (const [expr, want] of cases) {
    test(expr, () => assert.equal(compileFilter(expr).matches(obj), want));
  }
}

describe('job list stub', () => {
  describe('== and != coerce the value to the field type', () => {
    table(job, [
      ['Status == "running"', true],
      ['Status == running', true],
      ['Status == `running`', true],
      ['Status != "running"', false],
      ['Status == "Running"', false],
      ['Status=="running"', true],
      ['Priority == 70', true],
      ['Priority == "70"', true],
      ['Priority == "0x46"', true],
      ['Priority != 50', true],
      ['Priority == -70', false],
      ['Stop == false', true],
      ['Stop == "F"', true],
      ['Stop == 0', true],
      ['Periodic == true', false],
      ['Periodic != true', true],
    ]);
  });
  describe('in / contains on lists, map keys and strings', () => {
    table(job, [
      ['"dc1" in Datacenters', true],
      ['dc1 in Datacenters', true],
      ['"dc3" in Datacenters', false],
      ['"dc3" not in Datacenters', true],
      ['Datacenters contains "eu-west-1"', true],
      ['Datacenters not contains dc1', false],
      ['owner in Meta', true],
      ['"team-a" in Meta', false],
      ['Meta contains "cost center"', true],
      ['"web" in Name', true],
      ['Name contains "ample"', true],
      ['Name not contains "api"', true],
      ['"" in Name', true],
    ]);
  });
  describe('nested selectors, indexing and JSON pointers', () => {
    table(job, [
      ['Meta.owner == "team-a"', true],
      ['Meta["owner"] == "team-a"', true],
      ['Meta[ "cost center" ] == "42"', true],
      ['Meta["cost center"] == 42', true],
      ['JobSummary.Summary.web.Running == 3', true],
      ['JobSummary["Summary"].web.Complete == 1', true],
      ['"/Meta/owner" == "team-a"', true],
      ['"/JobSummary/Summary/web/Running" == 3', true],
      ['Datacenters.0 == dc1', true],
      ['Datacenters.1 == "eu-west-1"', true],
      ['Datacenters.5 == dc1', false],
      ['Datacenters.5 != dc1', true],
    ]);
  });
  describe('is empty / is nil, including missing keys and null', () => {
    table(job, [
      ['Meta.tier is empty', true],
      ['Meta.owner is empty', false],
      ['Meta.owner is not empty', true],
      ['Meta.missing is empty', true],
      ['Meta.missing is not empty', false],
      ['Meta.missing == ""', false],
      ['Meta.missing != "x"', true],
      ['"x" in Meta.missing', false],
      ['"x" not in Meta.missing', true],
      ['Meta.missing matches ".*"', false],
      ['Meta.missing not matches ".*"', true],
      ['Multiregion is empty', true],
      ['Multiregion.Region == "x"', false],
      ['ParentID is empty', true],
      ['Datacenters is empty', false],
      ['Datacenters is not empty', true],
      ['Meta is not empty', true],
      ['Multiregion is nil', true],
      ['Meta is nil', false],
      ['Meta is not nil', true],
      ['Meta.missing is nil', true],
    ]);
  });
  describe('matches uses Go regular expression syntax, unanchored', () => {
    table(job, [
      ['Name matches "^example-"', true],
      ['Name matches "web"', true],
      ['Name matches "WEB$"', false],
      ['Name matches "(?i)WEB$"', true],
      ['Name not matches "^api"', true],
      ['Name matches `^ex\\w+-web$`', true],
      ['Name matches "^ex\\\\w+-web$"', true],
      ['Name matches "^\\\\Qexample-\\\\E"', true],
      ['Meta["cost center"] matches "^[[:digit:]]+$"', true],
    ]);
  });
  describe('precedence: not binds tighter than and, and tighter than or', () => {
    table(job, [
      ['Status == "running" or Priority == 1 and Stop == true', true],
      ['(Status == "running" or Priority == 1) and Stop == true', false],
      ['Priority == 1 and Stop == true or Status == "running"', true],
      ['Priority == 1 and (Stop == true or Status == "running")', false],
      ['not Status == "dead"', true],
      ['not Status == "running" or Priority == 70', true],
      ['not (Status == "running" or Priority == 70)', false],
      ['not not Status == "running"', true],
      ['not Stop == true and Priority == 70', true],
      ['not (not (Stop == false))', true],
      ['((((Status == "running"))))', true],
      ['Status == "dead" or Status == "pending" or Status == "running"', true],
      ['Status == "running" and Priority == 70 and Stop == false and "dc1" in Datacenters', true],
      ['Status == "running"\n\tand Priority == 70', true],
    ]);
  });
});

describe('allocation with task states', () => {
  table(alloc, [
    ['TaskStates.web.State == "running"', true],
    ['TaskStates["web"].State == running', true],
    ['TaskStates.sidecar.Failed == true', true],
    ['TaskStates.web.Restarts == 2', true],
    ['TaskStates.missing.State == "running"', false],
    ['TaskStates.missing.State != "running"', true],
    ['Job.Meta.owner == "team-a"', true],
    ['ClientStatus == "running" and DesiredStatus == "run"', true],
    ['NodeName == "worker-1"', true],
    ['PreemptedAllocations is empty', true],
  ]);
  describe('any / all', () => {
    table(alloc, [
      ['any TaskStates as name { name == "sidecar" }', true],
      ['any TaskStates as name { name == "db" }', false],
      ['all TaskStates as _, ts { ts.State == "running" }', false],
      ['any TaskStates as _, ts { ts.Failed == true }', true],
      ['all TaskStates as name, ts { ts.State is not empty and name != "" }', true],
      ['any TaskStates as name, _ { name matches "^side" }', true],
      ['any Job.TaskGroups as tg { tg.Name == "web" and tg.Count == 10 }', true],
      ['any Job.Datacenters as i, dc { i == 0 and dc == "dc1" }', true],
      ['any Job.TaskGroups as tg { any tg.Tasks as t { t.Driver == "mock_driver" } }', true],
      ['all Job.TaskGroups as tg { all tg.Tasks as t { t.Resources.CPU == 100 } }', false],
      ['any PreemptedAllocations as a { a == "x" }', false],
      ['all PreemptedAllocations as a { a == "x" }', true],
      ['(any TaskStates as n { n == "web" }) and ClientStatus == running', true],
      ['not any TaskStates as n { n == "web" }', false],
      ['any TaskStates as n { n == "web" } or ClientStatus == "failed"', true],
      ['any TaskStates as n {n == "web"}', true],
    ]);
  });
});

describe('node with attributes and meta', () => {
  table(nodeJson, [
    ['Attributes["kernel.name"] == linux', true],
    ['Attributes["unique.network.ip-address"] == "127.0.0.1"', true],
    ['"/Attributes/kernel.name" == linux', true],
    ['Attributes["driver.docker"] is empty', true],
    ['"driver.raw_exec" in Attributes', true],
    ['"driver.docker" in Attributes', false],
    ['Meta.pci_dss == true', true],
    ['Meta.database == mysql and Meta.version == 5.6', true],
    ['Drivers.raw_exec.Healthy == true', true],
    ['Drivers.docker.Healthy == true', false],
    ['NodeResources.Cpu.CpuShares == 4000', true],
    ['NodeResources.Cpu.ReservableCpuCores contains 2', true],
    ['5 in NodeResources.Cpu.ReservableCpuCores', false],
    ['Status == ready and SchedulingEligibility == eligible and NodePool == default', true],
    ['Name matches "^worker-[0-9]+$"', true],
    ['DrainStrategy is nil', true],
    ['HTTPAddr contains ":4646"', true],
  ]);
});

describe('string escapes and raw strings', () => {
  const obj = { Meta: { note: 'say "hi"\n', path: 'C:\\tmp', snow: '☃', tab: 'a\tb' } };
  table(obj, [
    ['Meta.note == "say \\"hi\\"\\n"', true],
    ['Meta.note == `say "hi"\\n`', false],
    ['Meta.path == "C:\\\\tmp"', true],
    ['Meta.path == `C:\\tmp`', true],
    ['Meta.snow == "\\u2603"', true],
    ['Meta.snow == "\\U00002603"', true],
    ['Meta.tab == "a\\x09b"', true],
    ['Meta.tab == "a\\011b"', true],
    ['Meta.tab == "a\\tb"', true],
  ]);
});

describe('keywords are not reserved', () => {
  const obj = { not: 'x', in: ['a'], any: true, Meta: { and: 'or' } };
  table(obj, [
    ['not == x', true],
    ['not not == x', false],
    ['in contains a', true],
    ['a in in', true],
    ['any == true', true],
    ['Meta.and == or', true],
    ['Meta.and == or or not == y', true],
  ]);
});

describe('evaluation errors are FilterErrors positioned at the failing match', () => {
  const cases: readonly (readonly [unknown, string, RegExp, number])[] = [
    [job, 'Stauts == "running"', /no field "Stauts"/, 1],
    [job, 'Priority == 70 and status == "running"', /no field "status" \(did you mean "Status"\?/, 20],
    [job, 'Priority == "high"', /Priority is a number and "high" is not/, 1],
    [job, 'Stop == "yes"', /Stop is a boolean/, 1],
    [job, 'Meta == "x"', /Meta is a map, which == cannot compare/, 1],
    [job, 'Priority contains 7', /Priority is a number; contains needs a list, a map or a string/, 1],
    [job, 'Priority matches "7"', /matches needs a string/, 1],
    [job, 'Priority is empty', /"is empty" needs a list, a map or a string/, 1],
    [job, 'Status is nil', /never nil/, 1],
    [alloc, '"x" in Job.TaskGroups', /list of maps.*any Job.TaskGroups as x/, 1],
    [job, 'Datacenters.first == x', /Datacenters is a list, so "first" is not a valid index/, 1],
    [job, 'Status.x == 1', /Status is a string, so it has no field "x"/, 1],
    [job, 'any Status as s { s == "r" }', /Status is a string; any needs a list or a map/, 1],
    [alloc, 'any TaskStates as n { n.State == "running" }', /n is a map key \("(web|sidecar)"\), so n.State selects nothing/, 23],
  ];
  for (const [obj, expr, detail, column] of cases) {
    test(expr, () => {
      assert.throws(
        () => compileFilter(expr).matches(obj),
        (err: unknown) => {
          assert.ok(err instanceof FilterError);
          assert.equal(err.kind, 'evaluate');
          assert.equal(err.status, 400);
          assert.match(err.detail, detail);
          assert.equal(err.column, column);
          assert.match(err.message, /^failed to evaluate filter expression: 1:\d+: /);
          return true;
        },
      );
    });
  }
  test('a fractional value against an integer field compares numerically (go-bexpr refuses it)', () => {
    assert.equal(compileFilter('Priority == 70.5').matches(job), false);
    assert.equal(compileFilter('Priority == 70.0').matches(job), true);
  });
  test('short-circuiting skips a failing right-hand side, as go-bexpr does', () => {
    assert.equal(compileFilter('Status == "dead" and Stauts == 1').matches(job), false);
    assert.equal(compileFilter('Status == "running" or Stauts == 1').matches(job), true);
  });
});

describe('compileFilter and applyFilter', () => {
  const jobs = [
    { ID: 'a', Status: 'running', Priority: 50 },
    { ID: 'b', Status: 'dead', Priority: 50 },
    { ID: 'c', Status: 'running', Priority: 90 },
  ];
  test('a compiled filter runs on many objects', () => {
    const f = compileFilter('Status == running or Priority == 90');
    assert.equal(f.expression, 'Status == running or Priority == 90');
    assert.deepEqual(jobs.map((j) => f.matches(j)), [true, false, true]);
  });
  test('applyFilter keeps order and filters', () => {
    assert.deepEqual(applyFilter(jobs, 'Status == running').map((j) => j.ID), ['a', 'c']);
  });
  test('an empty expression means no filter for applyFilter, and is an error for compileFilter', () => {
    assert.deepEqual(applyFilter(jobs, ''), jobs);
    assert.throws(() => compileFilter(''), FilterError);
  });
  test('applyFilter raises parse errors before looking at any item', () => {
    assert.throws(() => applyFilter([], 'Status = running'), (err: unknown) => err instanceof FilterError && err.kind === 'parse');
  });
});
