import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, configFiles, decodeAgentConfig, decodeHCLAgentConfig, readConfigFile } from './config-file.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-config-file-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HCL = `# A full agent configuration in HCL.
region     = "eu"
datacenter = "dc2"
name       = "node-1"
data_dir   = "/var/lib/roam"
bind_addr  = "0.0.0.0"
log_level  = "DEBUG"

ports {
  http = 4747
}

addresses {
  http = "127.0.0.1"
}

server {
  enabled          = true
  bootstrap_expect = 3
  heartbeat_grace  = "15s"
  job_gc_threshold = "4h"
}

client {
  enabled           = true
  servers           = ["10.0.0.1:4647", "10.0.0.2:4647"]
  node_class        = "web"
  node_pool         = "blue"
  network_interface = "eth0"
  min_dynamic_port  = 20000
  max_dynamic_port  = 32000

  meta {
    rack = "r1"
  }

  options = {
    "driver.raw_exec.enable" = "1"
  }
}

plugin "raw_exec" {
  config {
    enabled = true
  }
}

plugin "docker" {
  config {
    volumes {
      enabled = true
    }
  }
}

ui {
  enabled = true
}
`;

const JSON_EQUIVALENT = {
  region: 'eu',
  datacenter: 'dc2',
  name: 'node-1',
  data_dir: '/var/lib/roam',
  bind_addr: '0.0.0.0',
  log_level: 'DEBUG',
  ports: { http: 4747 },
  addresses: { http: '127.0.0.1' },
  server: { enabled: true, bootstrap_expect: 3, heartbeat_grace: '15s', job_gc_threshold: '4h' },
  client: {
    enabled: true,
    servers: ['10.0.0.1:4647', '10.0.0.2:4647'],
    node_class: 'web',
    node_pool: 'blue',
    network_interface: 'eth0',
    min_dynamic_port: 20000,
    max_dynamic_port: 32000,
    meta: { rack: 'r1' },
    options: { 'driver.raw_exec.enable': '1' },
  },
  plugin: { raw_exec: { config: { enabled: true } }, docker: { config: { volumes: [{ enabled: true }] } } },
  ui: { enabled: true },
};

function hclError(text: string): string {
  try {
    decodeHCLAgentConfig(text, 'agent.hcl');
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

describe('agent configuration files', () => {
  it('decodes an HCL file to the same configuration as its JSON equivalent', () => {
    const fromHCL = decodeHCLAgentConfig(HCL, 'agent.hcl');
    assert.deepEqual(fromHCL, decodeAgentConfig(JSON_EQUIVALENT, 'agent.json'));
    assert.equal(fromHCL.server?.heartbeatGrace, 15_000);
    assert.deepEqual(fromHCL.plugins?.['raw_exec'], { config: { enabled: true } });
    assert.deepEqual(fromHCL.client?.meta, { rack: 'r1' });
    assert.equal(fromHCL.ports?.http, 4747);
  });

  it('reads .hcl and .json files of a -config directory in lexical order', () => {
    const dir = path.join(tmp, 'conf.d');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '10-base.hcl'), 'region = "eu"\nserver {\n  enabled = true\n}\n');
    fs.writeFileSync(path.join(dir, '20-client.json'), JSON.stringify({ client: { enabled: true } }));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    const files = configFiles([dir]);
    assert.deepEqual(files.map((f) => path.basename(f)), ['10-base.hcl', '20-client.json']);
    assert.deepEqual(files.map(readConfigFile), [{ region: 'eu', server: { enabled: true } }, { client: { enabled: true } }]);
  });

  it('reports an unknown argument with its position and a suggestion', () => {
    assert.equal(
      hclError('server {\n  enabled = true\n  bootstrap_expct = 1\n}\nclient {\n  enabeld = true\n}\n'),
      [
        'agent.hcl:3:3: Unsupported argument; an argument named "bootstrap_expct" is not expected here. Did you mean "bootstrap_expect"?',
        '  3 |   bootstrap_expct = 1',
        '    |   ^^^^^^^^^^^^^^^',
        'agent.hcl:6:3: Unsupported argument; an argument named "enabeld" is not expected here. Did you mean "enabled"?',
        '  6 |   enabeld = true',
        '    |   ^^^^^^^',
      ].join('\n'),
    );
  });

  it('reports an unknown block type at its name', () => {
    assert.equal(hclError('srever {\n  enabled = true\n}\n'), 'agent.hcl:1:1: Unsupported block type; blocks of type "srever" are not expected here. Did you mean "server"?\n  1 | srever {\n    | ^^^^^^');
  });

  it('reports a value of the wrong type at the value', () => {
    assert.equal(
      hclError('server {\n  bootstrap_expect = "three"\n}\n'),
      'agent.hcl:2:22: Incorrect attribute value type; inappropriate value for "bootstrap_expect": expected a whole number, got string "three".\n  2 |   bootstrap_expect = "three"\n    |                      ^^^^^^^',
    );
  });

  it('reports a bad duration at the value', () => {
    assert.equal(
      hclError('server {\n  heartbeat_grace = "10 parsecs"\n}\n'),
      'agent.hcl:2:21: Invalid value; invalid value for "heartbeat_grace": invalid duration "10 parsecs": unknown unit " parsecs"; use one of ns, us, ms, s, m, h.\n  2 |   heartbeat_grace = "10 parsecs"\n    |                     ^^^^^^^^^^^^',
    );
  });

  it('reports a syntax error with its position', () => {
    assert.match(hclError('server {\n  enabled = \n}\n'), /^agent\.hcl:2:13: Invalid expression; expected the start of an expression/);
  });

  it('refuses variables and function calls: configuration is data', () => {
    assert.match(hclError('name = upper("x")\n'), /^agent\.hcl:1:8: /);
    assert.match(hclError('name = var.node\n'), /^agent\.hcl:1:8: /);
  });

  it('keeps naming the key path for JSON files', () => {
    assert.throws(() => decodeAgentConfig({ server: { enabeld: true, bootstrap_expect: 'x' } }, 'agent.json'), {
      message: 'agent.json: server.enabeld: unknown setting; did you mean "enabled"?\nagent.json: server.bootstrap_expect: expected a whole number, got string "x"',
    });
  });
  it('decodes the client artifact block with Nomad\'s names, sizes and durations', () => {
    const c = decodeHCLAgentConfig(
      'client {\n  artifact {\n    http_read_timeout = "5m"\n    http_max_size = "1GiB"\n    decompression_size_limit = "10GB"\n    decompression_file_count_limit = 100\n    disable_filesystem_isolation = true\n    filesystem_isolation_extra_paths = ["d:r:/srv/artifacts"]\n    set_environment_variables = "HTTP_PROXY,NO_PROXY"\n  }\n}\n',
      'agent.hcl',
    );
    assert.deepEqual(c.client?.artifact, {
      httpReadTimeoutMs: 300_000,
      httpMaxBytes: 2 ** 30,
      decompressionSizeLimit: 10e9,
      decompressionFileCountLimit: 100,
      disableFilesystemIsolation: true,
      filesystemIsolationExtraPaths: ['d:r:/srv/artifacts'],
      setEnvironmentVariables: 'HTTP_PROXY,NO_PROXY',
    });
    assert.match(hclError('client {\n  artifact {\n    http_max_size = "lots"\n  }\n}\n'), /invalid value for "http_max_size": invalid size "lots"/);
    assert.match(hclError('client {\n  artifact {\n    filesystem_isolation_extra_paths = ["/srv"]\n  }\n}\n'), /invalid filesystem_isolation_extra_paths entry "\/srv"/);
  });
  it('decodes the client template block (wait, wait_bounds) in milliseconds', () => {
    const c = decodeHCLAgentConfig('client {\n  template {\n    wait {\n      min = "2s"\n      max = "10s"\n    }\n    wait_bounds {\n      max = "1m"\n    }\n  }\n}\n', 'agent.hcl');
    assert.deepEqual(c.client?.template, { wait: { minMs: 2000, maxMs: 10_000 }, waitBounds: { maxMs: 60_000 } });
    assert.match(hclError('client {\n  template {\n    wait {\n      min = 5\n    }\n  }\n}\n'), /expected a duration such as "10s"/);
  });
});
