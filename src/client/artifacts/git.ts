// git artifacts, as go-getter's GitGetter runs them, with the `git` binary: clone (shallow with
// `depth`, which then needs `ref` to be a branch or tag), check out `ref` (a branch, tag or
// commit), update submodules. `sshkey` is a base64 private key written (0600) to the staging
// directory, never into the clone. git runs with the scrubbed environment, no terminal prompts,
// and only the transports GIT_ALLOW_PROTOCOL lists: http, https, ssh, git — and file only for a
// local repository the client allows, never for submodules.
import fs from 'node:fs';
import path from 'node:path';
import { runChild } from './child.js';

export class GitError extends Error {}

export interface GitCloneOptions {
  url: string;
  ref: string;
  depth: number;
  /** Base64 of a private key, or ''. */
  sshKey: string;
  /** Where the clone goes; must not exist yet. */
  dest: string;
  /** A private directory for the key file. */
  scratchDir: string;
  /** The scrubbed environment. */
  env: Record<string, string>;
  /** The source is a local repository the client allows reading. */
  allowFile: boolean;
  signal: AbortSignal;
}

const COMMIT_ID = /^[0-9a-fA-F]{7,40}$/;

/** go-getter's findRemoteDefaultBranch: the remote HEAD's branch, else "master". */
async function remoteDefaultBranch(url: string, env: Record<string, string>, signal: AbortSignal): Promise<string> {
  try {
    const r = await runChild('git ls-remote', 'git', ['ls-remote', '--symref', '--', url, 'HEAD'], { env, signal });
    const m = /ref: refs\/heads\/(\S+)/.exec(r.stdout);
    return m?.[1] ?? 'master';
  } catch {
    return 'master';
  }
}

async function checkout(dest: string, ref: string, env: Record<string, string>, signal: AbortSignal): Promise<void> {
  for (const candidate of [ref, `refs/remotes/origin/${ref}`, `refs/tags/${ref}`]) {
    let sha: string;
    try {
      sha = (await runChild('git rev-parse', 'git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${candidate}^{commit}`], { env, cwd: dest, signal })).stdout.trim();
    } catch {
      continue;
    }
    await runChild('git checkout', 'git', ['checkout', '--quiet', sha], { env, cwd: dest, signal });
    return;
  }
  throw new GitError(`invalid ref: ${JSON.stringify(ref)} (no branch, tag or commit of that name)`);
}

export async function gitClone(o: GitCloneOptions): Promise<void> {
  const env: Record<string, string> = { ...o.env, GIT_TERMINAL_PROMPT: '0', GIT_ALLOW_PROTOCOL: `http:https:ssh:git${o.allowFile ? ':file' : ''}` };
  if (o.sshKey !== '') {
    const raw = /^[A-Za-z0-9+/=\s]+$/.test(o.sshKey) ? Buffer.from(o.sshKey, 'base64') : Buffer.alloc(0);
    if (raw.length === 0) throw new GitError('the sshkey option must be a base64-encoded private key');
    const keyFile = path.join(o.scratchDir, 'git-ssh-key');
    fs.writeFileSync(keyFile, raw, { mode: 0o600 });
    const base = o.env['GIT_SSH_COMMAND'] || 'ssh';
    env['GIT_SSH_COMMAND'] = `${base} -i '${keyFile.replace(/'/g, `'\\''`)}' -o IdentitiesOnly=yes`;
  }
  const args = ['clone', '--quiet'];
  if (o.depth > 0) args.push('--depth', String(o.depth), '--branch', o.ref !== '' ? o.ref : await remoteDefaultBranch(o.url, env, o.signal));
  args.push('--', o.url, o.dest);
  try {
    await runChild('git clone', 'git', args, { env, signal: o.signal });
  } catch (err) {
    if (o.depth > 0 && COMMIT_ID.test(o.ref)) throw new GitError(`${(err as Error).message} (note that setting 'depth' requires 'ref' to be a branch or tag name)`);
    throw err;
  }
  if (o.depth < 1 && o.ref !== '') await checkout(o.dest, o.ref, env, o.signal);
  const sub = ['submodule', 'update', '--init', '--recursive'];
  if (o.depth > 0) sub.push('--depth', String(o.depth));
  await runChild('git submodule update', 'git', sub, { env: { ...env, GIT_ALLOW_PROTOCOL: 'http:https:ssh:git' }, cwd: o.dest, signal: o.signal });
}
