// Builds the function map a Nomad task template renders with (consul-template's funcMap as Nomad
// configures it): Nomad service and variable lookups through the injected provider, `env` from the
// task's environment, `file` through an injected confined reader, the pure helpers, `sprig_*`,
// errors for Consul and Vault lookups, and the function denylist (default: executeTemplate,
// plugin, writeToFile; glob patterns such as `sprig_*` allowed).
import { defineFunc, defineVariadic, fail, type FuncMap, type TemplateFunction } from '../funcs.js';
import { collectionFunctions, newScratch } from './collections.js';
import { DependencyTracker } from './dependencies.js';
import { encodingFunctions } from './encoding.js';
import { mathFunctions } from './math.js';
import { nomadFunctions } from './nomad.js';
import { EMPTY_PROVIDER, type TemplateDataProvider } from './provider.js';
import { sprigFunctions } from './sprig.js';
import { stringFunctions } from './strings.js';
import { formatGoTime, RFC3339 } from './time.js';

/** Nomad's client default (client/config DefaultTemplateFunctionDenylist). */
export const DEFAULT_FUNCTION_DENYLIST: readonly string[] = ['executeTemplate', 'plugin', 'writeToFile'];

const CONSUL_FUNCTIONS = [
  'caLeaf',
  'caRoots',
  'connect',
  'datacenters',
  'exportedServices',
  'importedServices',
  'key',
  'keyExists',
  'keyOrDefault',
  'ls',
  'node',
  'nodes',
  'partitions',
  'peerings',
  'safeLs',
  'safeTree',
  'service',
  'services',
  'tree',
];
const VAULT_FUNCTIONS = ['pkiCert', 'secret', 'secrets'];

/**
 * Reads a file for `file`, confined by the caller to the task's sandbox. Returns the contents,
 * `undefined` while the file does not exist yet (a missing dependency, as consul-template waits
 * for it), or throws to report an error (such as a path outside the sandbox).
 */
export type TemplateFileReader = (path: string) => string | undefined;

export interface TemplateFunctionOptions {
  provider: TemplateDataProvider;
  deps: DependencyTracker;
  /** The task's environment (`env`), never the agent's own. */
  env: Readonly<Record<string, string>>;
  /** The job's namespace: the default for nomadVar and nomadService. */
  namespace?: string;
  readFile?: TemplateFileReader;
  /** The clock `timestamp` reads. */
  now?: () => Date;
  /** Function names or globs (`sprig_*`) that fail when called. Default DEFAULT_FUNCTION_DENYLIST. */
  denylist?: readonly string[];
  /** Renders a named template of the same text, for executeTemplate when it is not denied. */
  executeTemplate?: (name: string, data: unknown) => string;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

function denied(name: string): TemplateFunction {
  return defineVariadic([], 'any', () => fail(`function ${name} is disabled by the template function denylist`));
}

/** The names Nomad templates may call (for parsing before the per-render functions exist). */
export function templateFunctionNames(): string[] {
  return Object.keys(createTemplateFunctions({ provider: EMPTY_PROVIDER, deps: new DependencyTracker(), env: {} }));
}

// The pure function sets hold no per-render state: built once, shared by every render (a render
// builds only what closes over its data, dependencies and environment).
let statelessBefore: FuncMap | undefined;
let statelessSprig: FuncMap | undefined;

/** The function map for one render; `deps` collects the dependencies that render uses. */
export function createTemplateFunctions(opts: TemplateFunctionOptions): FuncMap {
  const now = opts.now ?? (() => new Date());
  const env = opts.env;
  const envValue = (k: string): string | undefined => (Object.prototype.hasOwnProperty.call(env, k) ? env[k] : undefined);

  const funcs: Record<string, TemplateFunction> = {
    ...nomadFunctions({ provider: opts.provider, deps: opts.deps, namespace: opts.namespace ?? 'default' }),
    ...(statelessBefore ??= { ...stringFunctions(), ...encodingFunctions(), ...mathFunctions() }),
    ...collectionFunctions(newScratch()),
    ...(statelessSprig ??= sprigFunctions()),
    env: defineFunc(['string'], (k) => envValue(k) ?? ''),
    mustEnv: defineFunc(['string'], (k) => {
      const v = envValue(k);
      if (v === undefined) fail(`required environment variable ${k} is missing`);
      return v;
    }),
    envOrDefault: defineFunc(['string', 'string'], (k, d) => {
      const v = envValue(k);
      return v === undefined || v === '' ? d : v;
    }),
    file: defineFunc(['string'], (path) => {
      if (path === '') return '';
      const dep = `file(${path})`;
      opts.deps.use(dep);
      if (opts.readFile === undefined) fail('file is not available: no file reader was configured');
      const content = opts.readFile(path);
      if (content === undefined) {
        opts.deps.miss(dep);
        return '';
      }
      return content;
    }),
    timestamp: defineVariadic([], 'string', (...s) => {
      if (s.length === 0) return formatGoTime(now(), RFC3339);
      if (s.length === 1) return s[0] === 'unix' ? String(Math.floor(now().getTime() / 1000)) : formatGoTime(now(), s[0] as string);
      fail(`timestamp: wrong number of arguments, expected 0 or 1, but got ${s.length}`);
    }),
    sockaddr: defineVariadic([], 'string', () => fail('sockaddr is not supported by Roam')),
    plugin: defineVariadic([], 'string', () => fail('plugin is not supported by Roam')),
    writeToFile: defineVariadic([], 'string', () => fail('writeToFile is not supported by Roam')),
    executeTemplate: defineVariadic(['string'], 'any', (name, ...data) => {
      if (opts.executeTemplate === undefined) fail('executeTemplate is not available');
      if (data.length > 1) fail(`executeTemplate: wrong number of arguments, expected 1 or 2, but got ${data.length + 1}`);
      return opts.executeTemplate(name, data[0] ?? null);
    }),
  };
  for (const name of CONSUL_FUNCTIONS) {
    funcs[name] = defineVariadic([], 'any', () => fail(`Roam has no Consul integration: ${name} is not available; use nomadService/nomadVar`));
  }
  for (const name of VAULT_FUNCTIONS) {
    funcs[name] = defineVariadic([], 'any', () => fail(`Roam has no Vault integration: ${name} is not available; use nomadVar`));
  }
  for (const pattern of opts.denylist ?? DEFAULT_FUNCTION_DENYLIST) {
    const re = globToRegExp(pattern);
    for (const name of Object.keys(funcs)) if (re.test(name)) funcs[name] = denied(name);
  }
  return funcs;
}
