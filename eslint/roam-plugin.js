// Roam's own lint rules: the import rules of ARCHITECTURE.md ("layering") and a cycle check
// ("no-cycle"). They work on relative import specifiers only: every import of our own code is
// relative, and a bare specifier is an npm package.
import fs from 'node:fs';
import path from 'node:path';

const srcRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'src');

/** Which folders of src/ each folder may import. A folder may always import itself. */
export const allowedImports = {
  structs: [],
  jobspec: ['structs'],
  template: ['structs'],
  state: ['structs'],
  scheduler: ['structs'],
  api: ['structs'],
  drivers: ['structs'],
  client: ['structs', 'api', 'template', 'drivers', 'jobspec'],
  server: ['structs', 'state', 'scheduler', 'jobspec', 'template'],
  http: ['structs', 'server', 'client', 'api', 'jobspec'],
  cli: ['structs', 'api', 'jobspec', 'template'],
  agent: '*',
  '.': '*', // src/main.ts, the binary's entry point
};

/** Folders holding concrete implementations that only agent (or their own folder) may import. */
function concreteOwner(target) {
  const rel = path.relative(srcRoot, target).split(path.sep);
  if (rel[0] === 'state' && rel[1] === 'backends' && rel.length > 2) return 'state/backends';
  if (rel[0] === 'drivers' && rel.length > 2) return `drivers/${rel[1]}`;
  return undefined;
}

function layerOf(file) {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const parts = rel.split(path.sep);
  return parts.length === 1 ? '.' : parts[0];
}

function resolveTs(fromFile, spec) {
  if (!spec.startsWith('.')) return undefined;
  const abs = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [abs.replace(/\.js$/, '.ts'), abs, `${abs}.ts`, path.join(abs, 'index.ts')]) {
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next form
    }
  }
  return abs.replace(/\.js$/, '.ts');
}

const isTestFile = (file) => /\.test\.ts$/.test(file) || file.includes(`${path.sep}test${path.sep}`) || file.includes(`${path.sep}bench${path.sep}`);

function importNodes(visit) {
  return {
    ImportDeclaration: (node) => visit(node, node.source.value),
    ExportNamedDeclaration: (node) => node.source && visit(node, node.source.value),
    ExportAllDeclaration: (node) => visit(node, node.source.value),
    ImportExpression: (node) => node.source.type === 'Literal' && typeof node.source.value === 'string' && visit(node, node.source.value),
  };
}

const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import rules between src/ folders (ARCHITECTURE.md, "Import rules")' },
    schema: [],
    messages: {
      forbidden: '{{from}} may not import {{to}} ("{{spec}}"): {{from}} may import only {{allowed}}. See ARCHITECTURE.md, "Import rules".',
      concrete: '"{{spec}}" is a concrete implementation ({{owner}}); only src/agent wires concrete backends and drivers. Depend on the interface instead.',
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (from === undefined || isTestFile(file)) return {};
    return importNodes((node, spec) => {
      const target = resolveTs(file, spec);
      if (target === undefined) return;
      const to = layerOf(target);
      if (to === undefined || to === from) {
        // same folder: a concrete implementation may use its own files
      } else {
        const allowed = allowedImports[from] ?? [];
        if (allowed !== '*' && !allowed.includes(to)) {
          context.report({ node, messageId: 'forbidden', data: { from: `src/${from}`, to: `src/${to}`, spec, allowed: allowed.length ? allowed.map((l) => `src/${l}`).join(', ') : 'nothing of ours' } });
          return;
        }
      }
      const owner = concreteOwner(target);
      if (owner !== undefined && from !== 'agent' && from !== '.') {
        const own = path.relative(srcRoot, file).split(path.sep).slice(0, owner.split('/').length).join('/');
        // src/drivers/shared holds helpers for the concrete drivers: any driver folder may use them.
        const driversHelper = owner === 'drivers/shared' && from === 'drivers';
        if (own !== owner && !driversHelper) context.report({ node, messageId: 'concrete', data: { spec, owner: `src/${owner}` } });
      }
    });
  },
};

// ---- cycles -------------------------------------------------------------------------------
const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const graphCache = new Map(); // file -> { mtime, deps }

function depsOf(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return [];
  }
  const cached = graphCache.get(file);
  if (cached && cached.mtime === stat.mtimeMs) return cached.deps;
  const text = fs.readFileSync(file, 'utf8');
  const deps = [];
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const target = spec && resolveTs(file, spec);
    if (target && target.endsWith('.ts') && !isTestFile(target)) deps.push(target);
  }
  graphCache.set(file, { mtime: stat.mtimeMs, deps });
  return deps;
}

/** A path from `start` back to `goal`, or undefined. */
function findPath(start, goal) {
  const seen = new Set([start]);
  const stack = [[start, [start]]];
  while (stack.length) {
    const [file, trail] = stack.pop();
    for (const dep of depsOf(file)) {
      if (dep === goal) return trail;
      if (!seen.has(dep)) {
        seen.add(dep);
        stack.push([dep, [...trail, dep]]);
      }
    }
  }
  return undefined;
}

const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles between our own modules' },
    schema: [],
    messages: { cycle: 'Import cycle: {{chain}}' },
  },
  create(context) {
    const file = context.filename;
    if (layerOf(file) === undefined || isTestFile(file)) return {};
    return importNodes((node, spec) => {
      const target = resolveTs(file, spec);
      if (!target || !target.endsWith('.ts') || isTestFile(target)) return;
      const back = findPath(target, file);
      if (back) {
        const chain = [file, ...back, file].map((f) => path.relative(srcRoot, f)).join(' → ');
        context.report({ node, messageId: 'cycle', data: { chain } });
      }
    });
  },
};

export default { rules: { layering, 'no-cycle': noCycle } };
