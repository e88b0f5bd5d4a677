// Filesystem functions, per go-cty-funcs' filesystem package: reading files (file, filebase64,
// file hashes), testing and globbing (fileexists, fileset) and path manipulation (abspath,
// basename, dirname, pathexpand). Relative paths resolve against ctx.baseDir (the job file's
// directory), except abspath, which like Nomad's resolves against the process's working
// directory. Every one of them refuses to run when ctx.allowFS is false, as Nomad refuses them
// all when parsing through the API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Value } from '../hcl/value.js';
import { argError, stringArg } from './args.js';
import type { HashAlgorithm } from './crypto.js';
import { digest } from './crypto.js';
import { utf8OrUndefined } from './encoding.js';
import type { FunctionContext, HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { compareStrings } from './value-ops.js';

/** Wraps a filesystem function so it refuses to run when the context disallows filesystem access. */
function guarded(name: string, fn: HclFunction): HclFunction {
  return {
    ...fn,
    impl(args, ctx) {
      if (!ctx.allowFS) {
        throw new FunctionError(`filesystem function "${name}" is disabled: jobspecs submitted through the API may not read the filesystem`);
      }
      return fn.impl(args, ctx);
    },
  };
}

/** Go's path.Clean on slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
    } else parts.push(seg);
  }
  const joined = parts.join('/');
  return rooted ? `/${joined}` : joined === '' ? '.' : joined;
}

/** Go's filepath.Base. */
export function goBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Go's filepath.Dir. */
export function goDir(p: string): string {
  return cleanPath(p.slice(0, p.lastIndexOf('/') + 1));
}

/** go-homedir's Expand: a leading "~" or "~/" becomes the home directory; "~user" is refused. */
function expandHome(p: string, index: number): string {
  if (!p.startsWith('~')) return p;
  if (p.length > 1 && p[1] !== '/' && p[1] !== '\\') throw argError(index, 'path', 'cannot expand user-specific home dir');
  return path.join(os.homedir(), p.slice(1));
}

function resolve(p: string, ctx: FunctionContext, index: number): string {
  const expanded = expandHome(p, index);
  return path.isAbsolute(expanded) ? expanded : path.join(ctx.baseDir, expanded);
}

function readFile(args: readonly Value[], ctx: FunctionContext): { buf: Buffer; shown: string } {
  const p = stringArg(args, 0, 'path');
  const full = resolve(p, ctx, 0);
  try {
    return { buf: fs.readFileSync(full), shown: p };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw argError(0, 'path', `no file exists at ${JSON.stringify(p)} (resolved against ${ctx.baseDir})`);
    if (code === 'EISDIR') throw argError(0, 'path', `${JSON.stringify(p)} is a directory, not a file`);
    throw argError(0, 'path', `failed to read ${JSON.stringify(p)}: ${(err as Error).message}`);
  }
}

function fileHash(algorithm: HashAlgorithm, encoding: 'hex' | 'base64'): HclFunction {
  return { params: ['path'], impl: (args, ctx) => digest(algorithm, readFile(args, ctx).buf, encoding) };
}

/** Turns a doublestar glob (*, **, ?, [class], {a,b}) into an anchored regular expression over slash paths. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slashAfter = pattern[i + 2] === '/';
        const atSegmentStart = i === 0 || pattern[i - 1] === '/';
        if (atSegmentStart && (slashAfter || i + 2 === pattern.length)) {
          re += slashAfter ? '(?:[^/]*(?:/[^/]*)*/)?' : '.*';
          i += slashAfter ? 2 : 1;
          continue;
        }
        i++;
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) throw new FunctionError(`invalid glob pattern ${JSON.stringify(pattern)}: unclosed [`);
      const body = pattern.slice(i + 1, close).replace(/^[!^]/, '^').replace(/\\/g, '\\\\');
      re += `[${body}]`;
      i = close;
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i] ?? ''}`;
    else re += /[.+^$()|\]\\]/.test(c) ? `\\${c}` : c;
  }
  if (braces > 0) throw new FunctionError(`invalid glob pattern ${JSON.stringify(pattern)}: unclosed {`);
  return new RegExp(`^${re}$`, 'u');
}

/** Regular files under `root`, as slash-separated paths relative to it. */
function walk(root: string, rel: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) walk(root, child, out);
    else if (e.isFile()) out.push(child);
  }
}

function fileset(args: readonly Value[], ctx: FunctionContext): Value {
  const p = stringArg(args, 0, 'path');
  const pattern = stringArg(args, 1, 'pattern');
  let re: RegExp;
  try {
    re = globToRegExp(pattern);
  } catch (err) {
    throw argError(1, 'pattern', err instanceof Error ? err.message : String(err));
  }
  const files: string[] = [];
  walk(resolve(p, ctx, 0), '', files);
  return files.filter((f) => re.test(f)).sort(compareStrings);
}

const fileFunctions: Record<string, HclFunction> = {
  file: {
    params: ['path'],
    impl(args, ctx) {
      const { buf, shown } = readFile(args, ctx);
      const text = utf8OrUndefined(buf);
      if (text === undefined) {
        throw argError(0, 'path', `contents of ${JSON.stringify(shown)} are not valid UTF-8; use filebase64 to read its contents, or filesha256 to hash them`);
      }
      return text;
    },
  },
  filebase64: { params: ['path'], impl: (args, ctx) => readFile(args, ctx).buf.toString('base64') },
  fileexists: {
    params: ['path'],
    impl(args, ctx) {
      const p = stringArg(args, 0, 'path');
      let st: fs.Stats;
      try {
        st = fs.statSync(resolve(p, ctx, 0));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw argError(0, 'path', `failed to stat ${JSON.stringify(p)}: ${(err as Error).message}`);
      }
      if (st.isFile()) return true;
      throw argError(0, 'path', `${JSON.stringify(p)} is not a regular file${st.isDirectory() ? ' but a directory' : ''}`);
    },
  },
  fileset: { params: ['path', 'pattern'], impl: fileset },
  filemd5: fileHash('md5', 'hex'),
  filesha1: fileHash('sha1', 'hex'),
  filesha256: fileHash('sha256', 'hex'),
  filesha512: fileHash('sha512', 'hex'),
  filebase64sha256: fileHash('sha256', 'base64'),
  filebase64sha512: fileHash('sha512', 'base64'),
  abspath: {
    params: ['path'],
    impl: (args) => path.resolve(stringArg(args, 0, 'path')).split(path.sep).join('/'),
  },
  basename: { params: ['path'], impl: (args) => goBase(stringArg(args, 0, 'path')) },
  dirname: { params: ['path'], impl: (args) => goDir(stringArg(args, 0, 'path')) },
  pathexpand: { params: ['path'], impl: (args) => expandHome(stringArg(args, 0, 'path'), 0) },
};

export const filesystemFunctions: Record<string, HclFunction> = Object.fromEntries(
  Object.entries(fileFunctions).map(([name, fn]) => [name, guarded(name, fn)]),
);
