// Host users and groups from /etc/passwd and /etc/group (no NSS: the drivers need local accounts
// only, and Nomad's raw_exec resolves them the same way on a plain host).
import fs from 'node:fs';

export interface HostUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

function readLines(file: string): string[][] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

/** A user by name or numeric ID; undefined when there is none. */
export function lookupUser(nameOrId: string): HostUser | undefined {
  for (const f of readLines('/etc/passwd')) {
    if (f[0] === nameOrId || f[2] === nameOrId) return { name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/' };
  }
  return undefined;
}

/** The user running this process. */
export function currentUser(): HostUser {
  const uid = process.getuid?.() ?? 0;
  return lookupUser(String(uid)) ?? { name: String(uid), uid, gid: process.getgid?.() ?? 0, home: '/' };
}

/** The user's primary group and every group that lists the user as a member. */
export function groupIDs(user: HostUser): number[] {
  const out = new Set<number>([user.gid]);
  for (const f of readLines('/etc/group')) {
    const members = (f[3] ?? '').split(',');
    if (members.includes(user.name)) out.add(Number(f[2]));
  }
  return [...out];
}
