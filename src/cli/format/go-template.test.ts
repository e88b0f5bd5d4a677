import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goVariable, goVariableMetadata, renderGoTemplate } from './go-template.js';

const v = { Namespace: 'default', Path: 'nomad/jobs/app', CreateIndex: 5, ModifyIndex: 7, CreateTime: 1_000, ModifyTime: 2_000, Items: { pw: 'x', a: 'y' } };

test('a variable reads as *api.Variable: fields, items map, methods', () => {
  assert.equal(renderGoTemplate('{{ .Path }} {{ .Items.pw }} {{ .ModifyIndex }} {{ .Items }} {{ range $k, $v := .Items }}{{ $k }}={{ $v }};{{ end }}', goVariable(v)), 'nomad/jobs/app x 7 map[a:y pw:x] a=y;pw=x;');
  assert.deepEqual(JSON.parse(renderGoTemplate('{{ .AsJSON }}', goVariable(v))), v);
  assert.equal(renderGoTemplate('[{{ .LockID }}]', goVariable(v)), '[]');
});

test('errors name the template and the Go type; lists get the sprig_ functions', () => {
  assert.throws(() => renderGoTemplate('{{ .Nope }}', goVariable(v), { name: 'var' }), /^TemplateError: template: var:1:3: executing "var" at <.Nope>: can't evaluate field Nope in type \*api.Variable$/);
  assert.equal(renderGoTemplate('{{ range . }}{{ .Path | sprig_upper }}{{ end }}', [goVariableMetadata(v)], { sprig: true }), 'NOMAD/JOBS/APP');
  assert.throws(() => renderGoTemplate('{{ sprig_upper "x" }}', goVariable(v)), /function "sprig_upper" not defined/);
});
