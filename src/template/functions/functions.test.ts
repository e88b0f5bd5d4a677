// The consul-template / Nomad functions as a task template sees them, through renderNomadTemplate
// with an in-memory provider: output tables, the dependencies a render records (and the missing
// ones that hold the first render), denied and unavailable functions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceRegistration } from '../../structs/services.js';
import type { Variable } from '../../structs/variable.js';
import { TemplateError } from '../errors.js';
import { renderNomadTemplate, type NomadTemplateOptions } from '../render.js';
import { chooseServices } from './nomad.js';
import type { TemplateDataProvider } from './provider.js';

function reg(id: string, address: string, port: number, tags: string[] = [], alloc = 'alloc-1'): ServiceRegistration {
  return { ID: id, ServiceName: 'redis-svc', Namespace: 'default', NodeID: 'node-1', Datacenter: 'dc1', JobID: 'redis', AllocID: alloc, Tags: tags, Address: address, Port: port, CreateIndex: 1, ModifyIndex: 1 };
}

const VARIABLE: Variable = { Namespace: 'default', Path: 'nomad/jobs/web', CreateIndex: 5, ModifyIndex: 7, CreateTime: 0, ModifyTime: 0, Items: { password: 's3cret', user: 'bob' } };

const provider: TemplateDataProvider = {
  service: (name) => (name === 'redis-svc' ? [reg('s1', '10.0.0.5', 6379, ['primary', 'v1']), reg('s2', '10.0.0.6', 6380, ['v1'])] : name === 'empty-svc' ? [] : undefined),
  services: () => [
    { ServiceName: 'web', Tags: ['http'] },
    { ServiceName: 'redis-svc', Tags: ['v1', 'primary'] },
  ],
  variable: (path) => (path === 'nomad/jobs/web' ? VARIABLE : path === 'nomad/jobs/gone' ? null : undefined),
  variableList: (prefix) => (prefix === 'nomad/jobs' ? [VARIABLE] : prefix === 'empty' ? [] : undefined),
};

const OPTS: NomadTemplateOptions = {
  provider,
  env: { NOMAD_SHORT_ALLOC_ID: 'a1b2c3d4', NOMAD_META_budget: '200', NOMAD_ALLOC_INDEX: '2' },
  now: () => new Date(Date.UTC(2024, 0, 2, 15, 4, 5, 678)),
};

function out(text: string, opts: Partial<NomadTemplateOptions> = {}): string {
  return renderNomadTemplate('env.txt', text, { ...OPTS, ...opts }).output;
}

function errorOf(text: string, opts: Partial<NomadTemplateOptions> = {}): string {
  try {
    out(text, opts);
  } catch (e) {
    assert.ok(e instanceof TemplateError);
    return e.message;
  }
  assert.fail('expected an error');
}

describe('the quick-start templates', () => {
  it('renders the pytechco env file as Go does', () => {
    const text = '{{ range nomadService "redis-svc" }}\nREDIS_HOST={{ .Address }}\nREDIS_PORT={{ .Port }}\n{{ end }}\n';
    assert.equal(out(text), '\nREDIS_HOST=10.0.0.5\nREDIS_PORT=6379\n\nREDIS_HOST=10.0.0.6\nREDIS_PORT=6380\n\n');
  });

  it('reads the task environment, not the agent process', () => {
    process.env.ROAM_TEMPLATE_TEST_SECRET = 'leak';
    assert.equal(out('ID={{ env "NOMAD_SHORT_ALLOC_ID" }} B={{ env "NOMAD_META_budget" }} X={{ env "ROAM_TEMPLATE_TEST_SECRET" }}'), 'ID=a1b2c3d4 B=200 X=');
  });
});

describe('functions (table)', () => {
  const cases: [string, string][] = [
    // nomad services and variables
    ['{{ range nomadService "primary.redis-svc" }}{{ .ID }} {{ .Name }} {{ .ServiceName }} {{ .Node }} {{ .NodeID }} {{ .Tags }} {{ .JobID }} {{ .AllocID }} {{ .Datacenter }} {{ .Namespace }}{{ end }}', 's1 redis-svc redis-svc node-1 node-1 [primary v1] redis alloc-1 dc1 default'],
    ['{{ range nomadService "redis-svc@global" }}{{ .Port }},{{ end }}', '6379,6380,'],
    ['{{ len (nomadService "empty-svc") }}', '0'],
    ['{{ range nomadServices }}{{ .Name }}:{{ join "," .Tags }} {{ end }}', 'redis-svc:primary,v1 web:http '],
    ['{{ with nomadVar "nomad/jobs/web" }}{{ .password }} {{ .user.Value }} {{ .user.Key }} {{ .Keys }} {{ .Values }}{{ end }}', 's3cret bob user [password user] [s3cret bob]'],
    ['{{ range $k, $v := nomadVar "nomad/jobs/web" }}{{ $k }}={{ $v }};{{ end }}', 'password=s3cret;user=bob;'],
    ['{{ nomadVar "nomad/jobs/web" }} {{ toJSON (nomadVar "nomad/jobs/web") }}', 'map[password:s3cret user:bob] {"password":"s3cret","user":"bob"}'],
    ['{{ with (nomadVar "nomad/jobs/web").Metadata }}{{ .Path }} {{ .ModifyIndex }}{{ end }}', 'nomad/jobs/web 7'],
    ['{{ range (nomadVar "nomad/jobs/web").Tuples }}{{ .K }}{{ .V }}{{ end }}', 'passwords3cretuserbob'],
    ['{{ nomadVarExists "nomad/jobs/web" }} {{ nomadVarExists "nomad/jobs/gone" }}', 'true false'],
    ['{{ range nomadVarList "nomad/jobs" }}{{ . }} {{ .Namespace }}{{ end }}', 'nomad/jobs/web default'],
    ['{{ len (nomadVarList "empty") }}', '0'],
    // strings
    ['{{ toLower "ABC" }} {{ toUpper "abc" }} {{ toTitle "hello wide world" }}', 'abc ABC Hello Wide World'],
    ['{{ "a,b,c" | split "," | join "-" }} {{ len (split "," "  ") }} {{ split "," "a" }}', 'a-b-c 0 [a]'],
    ['{{ replaceAll "." "_" "a.b.c" }} {{ "x-1" | regexReplaceAll "[0-9]" "N" }} {{ regexMatch "^v[0-9]+$" "v12" }}', 'a_b_c x-N true'],
    ['{{ regexReplaceAll "(?P<user>\\\\w+)@(\\\\w+)" "${2}:$user" "me@host" }}', 'host:me'],
    ['{{ trim "xy" "xyaxy" }} {{ trimPrefix "v" "v1.2" }} {{ trimSuffix ".txt" "a.txt" }} [{{ trimSpace "  s \\n" }}]', 'a 1.2 a [s]'],
    ['{{ indent 4 "a\\nb" }}|{{ "a\\n\\nb" | indent 2 }}', '    a\n    b|  a\n\n  b'],
    ['{{ contains "b" "abc" }} {{ "abc" | contains "z" }} {{ in (split "," "a,b") "b" }} {{ in "abc" "bc" }}', 'true false true true'],
    ['{{ $l := split "," "a,b,c" }}{{ containsAll (split "," "a,b") $l }} {{ containsAny (split "," "x,b") $l }} {{ containsNone (split "," "x,y") $l }} {{ containsNotAll (split "," "a,x") $l }}', 'true true true true'],
    ['{{ splitToMap "," "=" "a=1,b=2" }}', 'map[a:1 b:2]'],
    // conversions and encodings
    ['{{ parseInt "-42" }} {{ parseUint "42" }} {{ parseFloat "1.5" }} {{ parseFloat "3" }} {{ parseBool "true" }} {{ parseInt "" }}', '-42 42 1.5 3 true 0'],
    ['{{ env "NOMAD_ALLOC_INDEX" | parseInt | add 1 }}', '3'],
    ['{{ toJSON (parseJSON "{\\"b\\":[1,2.5],\\"a\\":\\"<x>\\",\\"n\\":null,\\"big\\":1e21}") }}', '{"a":"\\u003cx\\u003e","b":[1,2.5],"big":1e+21,"n":null}'],
    ['{{ toUnescapedJSON (parseJSON "{\\"a\\":\\"<x>&\\"}") }}', '{"a":"<x>&"}'],
    ['{{ toJSONPretty (parseJSON "{\\"a\\":{\\"b\\":[1]},\\"c\\":[]}") }}', '{\n  "a": {\n    "b": [\n      1\n    ]\n  },\n  "c": []\n}'],
    ['{{ (parseJSON "{\\"port\\":8080}").port }} {{ (parseJSON "[1,2]") }} {{ parseJSON "" }}', '8080 [1 2] map[]'],
    ['{{ toYAML (parseJSON "{\\"b\\":[1,2],\\"a\\":\\"x\\"}") }}', 'a: x\nb:\n- 1\n- 2'],
    ['{{ toTOML (parseJSON "{\\"a\\":\\"x\\",\\"t\\":{\\"k\\":true}}") }}', 'a = "x"\n\n[t]\n  k = true'],
    ['{{ base64Encode "hello?" }} {{ base64Decode "aGVsbG8/" }} {{ base64URLEncode "hello?" }} {{ base64URLDecode "aGVsbG8_" }}', 'aGVsbG8/ hello? aGVsbG8_ hello?'],
    ['{{ sha256Hex "abc" }}', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['{{ md5sum "abc" }}', '900150983cd24fb0d6963f7d28e17f72'],
    // time
    ['{{ timestamp }} | {{ timestamp "unix" }} | {{ timestamp "2006-01-02 03:04:05.000 PM Mon Jan _2 MST -07:00" }}', '2024-01-02T15:04:05Z | 1704207845 | 2024-01-02 03:04:05.678 PM Tue Jan  2 UTC +00:00'],
    // math: f(b, a) computes a OP b, so the piped value is the left operand
    ['{{ add 1 2 }} {{ 5 | subtract 2 }} {{ 2 | subtract 5 }} {{ subtract 2 5 }} {{ multiply 3 4 }} {{ 7 | divide 2 }} {{ 7.0 | divide 2 }} {{ 7 | modulo 2 }}', '3 3 -3 3 12 3 3.5 1'],
    ['{{ minimum 3 5 }} {{ maximum 3 5 }} {{ add 1.5 1 }} {{ multiply 2 1.5 }}', '3 5 2.5 3'],
    // collections
    ['{{ range $tag, $svcs := nomadService "redis-svc" | byTag }}{{ $tag }}={{ len $svcs }} {{ end }}', 'primary=1 v1=2 '],
    ['{{ range $port, $svcs := byPort (nomadService "redis-svc") }}{{ $port }} {{ end }}', '6379 6380 '],
    ['{{ range loop 3 }}{{ . }}{{ end }} {{ range $i := loop 5 8 }}{{ $i }}{{ end }} {{ range loop "2" }}x{{ end }}', '012 567 xx'],
    ['{{ mergeMap (parseJSON "{\\"a\\":1}") (parseJSON "{\\"a\\":2,\\"b\\":3}") }} {{ mergeMapWithOverride (parseJSON "{\\"a\\":1}") (parseJSON "{\\"a\\":2}") }}', 'map[a:1 b:3] map[a:2]'],
    ['{{ explodeMap (parseJSON "{\\"a/b\\":1,\\"a/c\\":2,\\"d\\":3}") }}', 'map[a:map[b:1 c:2] d:3]'],
    ['{{ scratch.Set "k" "v" }}{{ scratch.Get "k" }} {{ scratch.Key "k" }} {{ scratch.Key "z" }}{{ scratch.MapSet "m" "b" 2 }}{{ scratch.MapSet "m" "a" 1 }} {{ scratch.MapValues "m" }}', 'v true false [1 2]'],
    // sprig subset
    ['{{ sprig_upper "x" }} {{ sprig_default "d" "" }} {{ sprig_default "d" "v" }} {{ sprig_list 1 "a" }} {{ sprig_quote "q" }} {{ sprig_join "," (sprig_list 1 2) }} {{ sprig_ternary "y" "n" true }}', 'X d v [1 a] "q" 1,2 y'],
  ];
  for (const [text, want] of cases) it(text.slice(0, 100), () => assert.equal(out(text), want));
});

describe('dependencies', () => {
  it('records what a render used, in order', () => {
    const r = renderNomadTemplate('t', '{{ nomadService "redis-svc" }}{{ nomadVar "nomad/jobs/web" }}{{ nomadServices }}{{ nomadVarList "nomad/jobs" }}', OPTS);
    assert.deepEqual(r.used, ['nomad.service(redis-svc)', 'nomad.var.block(nomad/jobs/web@default.global)', 'nomad.services', 'nomad.var.list(nomad/jobs@default.global)']);
    assert.deepEqual(r.missing, []);
  });

  it('reports dependencies without data as missing, and renders what consul-template renders meanwhile', () => {
    const r = renderNomadTemplate('t', '[{{ range nomadService "other-svc" }}x{{ end }}][{{ with nomadVar "nomad/jobs/x" }}{{ .a }}{{ end }}][{{ nomadVarExists "nomad/jobs/y" }}]', OPTS);
    assert.equal(r.output, '[][][false]');
    assert.deepEqual(r.missing, ['nomad.service(other-svc)', 'nomad.var.block(nomad/jobs/x@default.global)', 'nomad.var.get(nomad/jobs/y@default.global)']);
  });

  it('nomadVar of a variable that does not exist waits for it; nomadVarExists does not', () => {
    assert.deepEqual(renderNomadTemplate('t', '{{ nomadVar "nomad/jobs/gone" }}', OPTS).missing, ['nomad.var.block(nomad/jobs/gone@default.global)']);
    assert.deepEqual(renderNomadTemplate('t', '{{ nomadVarExists "nomad/jobs/gone" }}', OPTS).missing, []);
  });

  it('nomadVarListSafe waits while the list is empty, nomadVarList does not', () => {
    assert.deepEqual(renderNomadTemplate('t', '{{ nomadVarList "empty" }}', OPTS).missing, []);
    assert.deepEqual(renderNomadTemplate('t', '{{ nomadVarListSafe "empty" }}', OPTS).missing, ['nomad.var.list(empty@default.global)']);
  });

  it('names namespace and region as the template gives them', () => {
    const r = renderNomadTemplate('t', '{{ nomadVar "a/b@prod.eu" }}{{ nomadService "web@eu" }}{{ nomadService 2 "alloc-x" "web" }}', { ...OPTS, namespace: 'dev' });
    assert.deepEqual(r.missing, ['nomad.var.block(a/b@prod.eu)', 'nomad.service(web@eu)', 'nomad.service(web:2|alloc-x)']);
  });

  it('file reads through the injected reader and waits for a missing file', () => {
    const files: Record<string, string> = { 'local/a.txt': 'A' };
    const readFile = (p: string) => {
      if (p.startsWith('/')) throw new Error(`'${p}' is outside of sandbox`);
      return files[p];
    };
    const r = renderNomadTemplate('t', '{{ file "local/a.txt" }}{{ file "local/b.txt" }}', { ...OPTS, readFile });
    assert.equal(r.output, 'A');
    assert.deepEqual(r.missing, ['file(local/b.txt)']);
    assert.match(errorOf('{{ file "/etc/passwd" }}', { readFile }), /error calling file: '\/etc\/passwd' is outside of sandbox/);
  });
});

describe('nomadService choose (rendezvous hashing, as Nomad chooses)', () => {
  const regs = ['abc001', 'abc002', 'abc003'].map((id) => ({ ...reg(id, '', 0, []), ServiceName: 's1', Namespace: '', NodeID: '', Datacenter: '', JobID: '', AllocID: '', Tags: null }));
  const cases: [number, string, string[]][] = [
    [1, 'aaa', ['abc003']],
    [2, 'aaa', ['abc003', 'abc001']],
    [3, 'aaa', ['abc003', 'abc001', 'abc002']],
    [3, 'ddd', ['abc001', 'abc002', 'abc003']],
    [3, 'ccc', ['abc003', 'abc002', 'abc001']],
    [5, 'aaa', ['abc003', 'abc001', 'abc002']],
  ];
  for (const [n, key, want] of cases) it(`${n}|${key}`, () => assert.deepEqual(chooseServices(regs, n, key).map((s) => s.ID), want));

  it('is stable for a key and picks a subset in templates', () => {
    const a = out('{{ range nomadService 1 "alloc-a" "redis-svc" }}{{ .ID }}{{ end }}');
    assert.equal(a, out('{{ range nomadService 1 "alloc-a" "redis-svc" }}{{ .ID }}{{ end }}'));
    assert.ok(a === 's1' || a === 's2');
  });
});

describe('refused functions', () => {
  it('Consul and Vault functions say Roam has no such integration', () => {
    assert.equal(errorOf('{{ key "x" }}'), 'template: env.txt:1:3: executing "env.txt" at <key "x">: error calling key: Roam has no Consul integration: key is not available; use nomadService/nomadVar');
    assert.match(errorOf('{{ range service "redis" }}{{ end }}'), /Roam has no Consul integration: service is not available/);
    assert.match(errorOf('{{ with secret "kv/x" }}{{ end }}'), /Roam has no Vault integration: secret is not available; use nomadVar/);
  });

  it('the default denylist denies executeTemplate, plugin and writeToFile', () => {
    for (const f of ['executeTemplate "x"', 'plugin "x"', 'writeToFile "a" "b" "c" "d" "e"']) {
      const name = f.split(' ')[0] as string;
      assert.match(errorOf(`{{ ${f} }}`), new RegExp(`error calling ${name}: function ${name} is disabled by the template function denylist`));
    }
  });

  it('the denylist is configurable and takes globs', () => {
    assert.match(errorOf('{{ sprig_upper "x" }}', { denylist: ['sprig_*'] }), /function sprig_upper is disabled/);
    assert.equal(out('{{ define "x" }}[{{ . }}]{{ end }}{{ executeTemplate "x" 5 }}', { denylist: [] }), '[5]');
  });

  it('argument errors read as Go reports them', () => {
    assert.equal(errorOf('{{ parseInt "x" }}'), 'template: env.txt:1:3: executing "env.txt" at <parseInt "x">: error calling parseInt: parseInt: strconv.ParseInt: parsing "x": invalid syntax');
    assert.equal(errorOf('{{ toLower 1 }}'), 'template: env.txt:1:11: executing "env.txt" at <1>: expected string; found 1');
    assert.equal(errorOf('{{ join "," }}'), 'template: env.txt:1:3: executing "env.txt" at <join>: wrong number of args for join: want 2 got 1');
    assert.equal(errorOf('{{ divide 0 1 }}'), 'template: env.txt:1:3: executing "env.txt" at <divide 0 1>: error calling divide: runtime error: integer divide by zero');
    assert.match(errorOf('{{ nomadService "bad name!" }}'), /nomad.service: invalid format: "bad name!"/);
    assert.match(errorOf('{{ foo }}'), /function "foo" not defined/);
  });

  it('error_on_missing_key fails on a missing key', () => {
    assert.match(errorOf('{{ (parseJSON "{}").nope }}', { errorOnMissingKey: true }), /map has no entry for key "nope"/);
    assert.equal(out('{{ (parseJSON "{}").nope }}'), '<no value>');
  });

  it('custom delimiters', () => {
    assert.equal(out('[[ env "NOMAD_META_budget" ]] {{ x }}', { leftDelim: '[[', rightDelim: ']]' }), '200 {{ x }}');
  });
});
