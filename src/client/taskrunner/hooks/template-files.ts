// One template block made ready to render, and its output written: the text from `data` or
// `source` (confined to the task dir), the destination (confined), the perms, the parsed
// template; atomic writes that keep perms and owner; Nomad's messages for what goes wrong. The
// template manager (template-manager.ts) decides when to render and write.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Template as TaskTemplate } from '../../../structs/job.js';
import { parseNomadTemplate, TemplateError, type Template } from '../../../template/index.js';
import { errorMessage } from '../../async.js';
import { confinedPath } from './template-paths.js';

/** consul-template's source name for templates given inline (`data`). */
export const DYNAMIC_SOURCE = '(dynamic)';
/** Nomad lists at most this many missing dependencies in one event. */
const MISSING_DEPENDENCY_LIMIT = 3;

/** Why a template cannot be used: `setup` (paths, perms) or `template` (parse, render, env). */
export class TemplateSetupError extends Error {
  constructor(
    readonly kind: 'setup' | 'template',
    message: string,
  ) {
    super(message);
  }
}

export interface PreparedTemplate {
  index: number;
  spec: TaskTemplate;
  source: string;
  parsed: Template;
  dest: string;
  mode: number;
}

/** Nomad's "Missing: a, b, c, and N more" (sorted). */
export function missingMessage(missing: readonly string[]): string {
  const sorted = [...new Set(missing)].sort();
  const shown = sorted.slice(0, MISSING_DEPENDENCY_LIMIT);
  if (sorted.length > MISSING_DEPENDENCY_LIMIT) shown.push(`and ${sorted.length - MISSING_DEPENDENCY_LIMIT} more`);
  return `Missing: ${shown.join(', ')}`;
}

/** "0644" → 0o644; throws on anything that is not an octal mode. */
export function parsePerms(perms: string): number {
  const p = perms.trim() === '' ? '0644' : perms.trim();
  if (!/^[0-7]{1,4}$/.test(p)) throw new Error(`invalid perms ${JSON.stringify(perms)}: expected an octal file mode such as "0644"`);
  return parseInt(p, 8);
}

export function templateFailure(source: string, err: unknown): string {
  if (err instanceof TemplateError) return `Template failed: ${source}: ${err.phase === 'parse' ? 'parse' : 'execute'}: ${err.message}`;
  return `Template failed: ${source}: ${errorMessage(err)}`;
}

/** Reads, confines and parses one template block; throws TemplateSetupError. */
export function prepareTemplate(taskDir: string, spec: TaskTemplate, index: number): PreparedTemplate {
  const setup = (msg: string): never => {
    throw new TemplateSetupError('setup', msg);
  };
  let text = spec.EmbeddedTmpl;
  let source = DYNAMIC_SOURCE;
  if (spec.SourcePath !== '') {
    source = spec.SourcePath;
    let src = '';
    try {
      src = confinedPath(taskDir, spec.SourcePath, 'template source');
    } catch (err) {
      setup(`failed to read template source: ${errorMessage(err)}`);
    }
    try {
      text = fs.readFileSync(src, 'utf8');
    } catch (err) {
      setup(`failed to read template source ${JSON.stringify(spec.SourcePath)}: ${errorMessage(err)}`);
    }
  } else if (spec.EmbeddedTmpl === '') {
    setup(`template ${index + 1}: must specify a source path or have an embedded template`);
  }
  if (spec.DestPath === '') setup(`template ${index + 1}: must specify a destination`);
  let dest = '';
  try {
    dest = confinedPath(taskDir, spec.DestPath, 'template destination');
  } catch (err) {
    setup(`failed to render template: ${errorMessage(err)}`);
  }
  let mode = 0;
  try {
    mode = parsePerms(spec.Perms);
  } catch (err) {
    setup(`template ${JSON.stringify(spec.DestPath)}: ${errorMessage(err)}`);
  }
  let parsed: Template;
  try {
    parsed = parseNomadTemplate(source === DYNAMIC_SOURCE ? '' : source, text, { leftDelim: spec.LeftDelim, rightDelim: spec.RightDelim });
  } catch (err) {
    throw new TemplateSetupError('template', templateFailure(source, err));
  }
  return { index, spec, source, parsed, dest, mode };
}

/** What is at `dest` now (undefined when nothing readable is). */
export function readExisting(dest: string): string | undefined {
  try {
    return fs.readFileSync(dest, 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes `content` to `dest` through a temporary file in the same directory and a rename. */
export function writeAtomic(dest: string, content: string, mode: number, owner: { uid: number | null; gid: number | null }): void {
  const dir = path.dirname(dest);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const tmp = path.join(dir, `.${path.basename(dest)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, content, { mode, flag: 'wx' });
    fs.chmodSync(tmp, mode); // the umask must not narrow the requested perms
    if ((owner.uid !== null || owner.gid !== null) && process.getuid?.() === 0) fs.chownSync(tmp, owner.uid ?? -1, owner.gid ?? -1);
    fs.renameSync(tmp, dest);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
