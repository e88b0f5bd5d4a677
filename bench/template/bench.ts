// Template benchmark (issue 8): one render of a 200-line task template over 100 instances of a
// service — an haproxy-style configuration with several `range nomadService` sections (tags,
// conditionals, printf, env lookups, a variable) — as the client's template manager does it on
// every change: the template is parsed once, then rendered with the data at hand. Prints the
// parse + first render and the re-render times (median and p99 over the timed runs).
// Run: node --import tsx bench/template/bench.ts [runs=500]
import assert from 'node:assert/strict';
import { parseNomadTemplate, renderParsedTemplate, type TemplateDataProvider } from '../../src/template/index.js';
import type { ServiceRegistration } from '../../src/structs/services.js';

const INSTANCES = 100;
const runs = Number(process.argv[2] ?? 500);

const registrations: ServiceRegistration[] = Array.from({ length: INSTANCES }, (_, i) => ({
  ID: `_nomad-task-${String(i).padStart(8, '0')}-0000-0000-0000-000000000000-group-web-web-http`,
  ServiceName: 'web',
  Namespace: 'default',
  NodeID: `node-${i % 10}`,
  Datacenter: i % 2 === 0 ? 'dc1' : 'dc2',
  JobID: 'web',
  AllocID: `${String(i).padStart(8, '0')}-0000-0000-0000-000000000000`,
  Tags: i % 10 === 0 ? ['canary', 'http'] : ['http', `zone-${i % 3}`],
  Address: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
  Port: 20000 + i,
  CreateIndex: 100 + i,
  ModifyIndex: 100 + i,
}));

const provider: TemplateDataProvider = {
  service: (name) => (name === 'web' ? registrations : []),
  services: () => [{ ServiceName: 'web', Tags: ['http', 'canary'] }],
  variable: (path) => (path === 'nomad/jobs/proxy' ? { Namespace: 'default', Path: path, CreateIndex: 1, ModifyIndex: 1, CreateTime: 0, ModifyTime: 0, Items: { maxconn: '4096', stats_password: 's3cret' } } : null),
  variableList: () => [],
};
const env = { NOMAD_ALLOC_ID: '9c1b7e5e-0000-0000-0000-000000000000', NOMAD_DC: 'dc1', NOMAD_REGION: 'global', NOMAD_JOB_NAME: 'proxy', NOMAD_META_timeout: '5s' };

/** 200 lines: a global part, then sections that each walk the 100 instances. */
function templateText(): string {
  const lines: string[] = [
    '# generated for {{ env "NOMAD_JOB_NAME" }} in {{ env "NOMAD_DC" }} ({{ env "NOMAD_REGION" }})',
    '{{- $v := nomadVar "nomad/jobs/proxy" }}',
    'global',
    '  maxconn {{ $v.maxconn }}',
    '  log stdout format raw local0',
    'defaults',
    '  mode http',
    '  timeout connect {{ env "NOMAD_META_timeout" }}',
    '  timeout client 30s',
    '  timeout server 30s',
  ];
  let section = 0;
  const tail = 9;
  while (lines.length + 14 + tail <= 200) {
    section++;
    lines.push(
      '',
      `backend web_${section}`,
      '  balance roundrobin',
      `  option httpchk GET /health/${section}`,
      '{{- range $i, $s := nomadService "web" }}',
      '  {{- if .Tags | contains "canary" }}',
      `  server canary_{{ $i }} {{ .Address }}:{{ .Port }} weight 1 check # {{ .AllocID | printf "%.8s" }}`,
      '  {{- else if eq .Datacenter (env "NOMAD_DC") }}',
      `  server {{ printf "local_%03d" $i }} {{ .Address }}:{{ .Port }} weight {{ add 10 ${section} }} check`,
      '  {{- else }}',
      '  server {{ printf "remote_%03d" $i }} {{ .Address }}:{{ .Port }} backup check # {{ join "," .Tags }}',
      '  {{- end }}',
      '{{- end }}',
      '  # {{ len (nomadService "web") }} instances',
    );
  }
  lines.push('', 'listen stats', '  bind :8404', '  stats enable', '  stats uri /', `  stats auth admin:{{ $v.stats_password }}`, '{{- range nomadServices }}', '# service {{ .Name }} tags={{ join "," .Tags }}', '{{- end }}');
  while (lines.length < 200) lines.push(`# padding line ${lines.length}`);
  return lines.join('\n') + '\n';
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

const text = templateText();
assert.equal(text.split('\n').length - 1, 200);
const opts = { provider, env, namespace: 'default' };
const check = renderParsedTemplate(parseNomadTemplate('bench.tmpl', text), opts);
assert.deepEqual(check.missing, []);
const serverLines = check.output.split('\n').filter((l) => l.trimStart().startsWith('server ')).length;

const first: number[] = [];
const again: number[] = [];
for (let i = 0; i < 50 + runs; i++) {
  const t0 = performance.now();
  const parsed = parseNomadTemplate('bench.tmpl', text);
  renderParsedTemplate(parsed, opts);
  const t1 = performance.now();
  renderParsedTemplate(parsed, opts);
  const t2 = performance.now();
  if (i >= 50) {
    first.push(t1 - t0);
    again.push(t2 - t1);
  }
}
console.log(`template: 200 lines, ${INSTANCES} instances, ${serverLines} server lines, ${check.output.length} bytes of output; ${runs} runs`);
console.log(`  parse + render: p50 ${pct(first, 50).toFixed(2)} ms, p99 ${pct(first, 99).toFixed(2)} ms`);
console.log(`  re-render (parsed once, as on every change): p50 ${pct(again, 50).toFixed(2)} ms, p99 ${pct(again, 99).toFixed(2)} ms`);
