// The submission `job run` sends with a job (Nomad's jobspec2 submissionFromJob): the source as
// written, its format, simple variables as flags and complex ones appended to the var-files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { hclSubmission, loadJob } from './jobfile.js';

const JOB = `variable "image" {
  type = string
}
variable "ports" {
  type = list(number)
  default = []
}
variable "count" {
  default = 1
}
job "web" {
  group "g" {
    count = var.count
    task "t" {
      driver = "raw_exec"
      config { command = var.image }
    }
  }
}
`;

test('a job file becomes its own submission: source, hcl2, flags and var-file contents', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-jobfile-'));
  try {
    fs.writeFileSync(path.join(dir, 'web.nomad.hcl'), JOB);
    fs.writeFileSync(path.join(dir, 'prod.vars'), 'count = 3');
    const loaded = await loadJob('web.nomad.hcl', {
      vars: ['image=/bin/true', 'ports=[80, 443]'],
      varFiles: ['prod.vars'],
      json: false,
      cwd: dir,
      env: { NOMAD_VAR_image: '/bin/false', NOMAD_VAR_extra: 'x', PATH: '/bin' },
      stdin: Readable.from([]),
    });
    assert.equal(loaded.job.TaskGroups?.[0]?.Count, 3);
    assert.deepEqual(loaded.submission, {
      Source: JOB,
      Format: 'hcl2',
      // -var wins over NOMAD_VAR_; undeclared environment variables are kept, as Nomad does.
      VariableFlags: { image: '/bin/true', extra: 'x' },
      Variables: 'count = 3\n\nports = [80, 443]',
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('API JSON and HCL JSON syntax are submitted as json; no variables give null flags', async () => {
  const json = JSON.stringify({ Job: { ID: 'j', Name: 'j', TaskGroups: [] } });
  const loaded = await loadJob('-', { vars: [], varFiles: [], json: true, cwd: '/', env: {}, stdin: Readable.from([json]) });
  assert.deepEqual(loaded.submission, { Source: json, Format: 'json', VariableFlags: null, Variables: '' });
  assert.deepEqual(hclSubmission('{"job": {}}', {}, [], {}, new Map()), { Source: '{"job": {}}', Format: 'json', VariableFlags: null, Variables: '' });
  assert.deepEqual(hclSubmission('job "x" {}', {}, ['a = 1\n', 'b = 2'], {}, new Map()).Variables, 'a = 1\n\nb = 2\n');
});
