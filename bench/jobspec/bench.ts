// Benchmark: parse + evaluate + decode + canonicalize job files of 500, 1,000, 2,000 and 4,000
// lines (groups of realistic blocks: network, service with check, task with config, env,
// template, resources, restart, plus variables and locals), after warm-up. Prints ms per file
// and ms per 1,000 lines, to show the cost is linear. Run: node --import tsx bench/jobspec/bench.ts
import { canonicalizeJob, parseJobFile } from '../../src/jobspec/index.js';

function group(i: number): string {
  return `  group "g${i}" {
    count = var.count

    network {
      port "http" {
        to = 8080
      }
    }

    service {
      name     = "svc-${i}"
      port     = "http"
      provider = "nomad"
      tags     = [for t in local.tags : "\${t}-${i}"]

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    restart {
      attempts = 3
      delay    = "15s"
      interval = "5m"
      mode     = "delay"
    }

    task "t${i}" {
      driver = "docker"

      config {
        image = "\${var.image}:${i}"
        ports = ["http"]
        args  = ["--id", "${i}", "--alloc", "\${NOMAD_ALLOC_INDEX}"]
      }

      env {
        INDEX = "${i}"
        NAME  = upper("g${i}")
      }

      template {
        data        = <<EOH
{{ range nomadService "svc-${i}" }}ADDR={{ .Address }}:{{ .Port }}{{ end }}
EOH
        destination = "local/env.txt"
        env         = true
      }

      resources {
        cpu    = 100 + ${i}
        memory = 128
      }
    }
  }
`;
}

function jobFile(lines: number): string {
  const head = `variable "image" {\n  default = "example/app"\n}\n\nvariable "count" {\n  type    = number\n  default = 2\n}\n\nlocals {\n  tags = ["a", "b", "c"]\n}\n\njob "bench" {\n  datacenters = ["dc1"]\n\n`;
  let body = '';
  let i = 0;
  while ((head + body).split('\n').length < lines - 2) body += group(i++);
  return `${head}${body}}\n`;
}

function time(text: string, iterations: number): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const r = parseJobFile(text, 'bench.nomad.hcl', { allowFS: false, baseDir: '.', env: {} });
    if (r.job === undefined) throw new Error('benchmark job failed to parse');
    canonicalizeJob(r.job);
  }
  return (performance.now() - start) / iterations;
}

const sizes = [500, 1000, 2000, 4000];
console.log('jobspec: parse + evaluate + decode + canonicalize');
console.log('lines   ms/file   ms/1000 lines');
for (const size of sizes) {
  const text = jobFile(size);
  const actual = text.split('\n').length;
  time(text, 20); // warm-up
  const iterations = Math.max(10, Math.round(40_000 / size));
  const ms = time(text, iterations);
  console.log(`${String(actual).padEnd(8)}${ms.toFixed(2).padStart(7)}   ${((ms * 1000) / actual).toFixed(2).padStart(8)}`);
}
