// Version matching for the `version` and `semver` constraint operands, with the semantics of the
// libraries Nomad uses:
//  - `version` — hashicorp/go-version: lenient versions ("v1.2", "1.2.3beta1"), operators
//    = != > < >= <= ~>, and the pre-release rule (a pre-release only satisfies a constraint that
//    names a pre-release of the same base version; a release never satisfies `~> x-pre`).
//  - `semver` — Nomad's helper/constraints/semver: semver 2.0 versions (pre-release after '-'),
//    operators = != > < >= <= only (no `~>`), and plain semver 2.0 precedence (no pre-release rule).
// Anything unparseable does not match.

export interface Version {
  segments: number[]; // padded to at least 3
  specified: number; // how many segments were written
  pre: string;
  meta: string;
}

const ID = '[0-9A-Za-z\\-~]';
const versionRe = new RegExp(`^v?([0-9]+(?:\\.[0-9]+)*?)(?:-([0-9]+${ID}*(?:\\.${ID}+)*)|-?([A-Za-z\\-~]+${ID}*(?:\\.${ID}+)*))?(?:\\+(${ID}+(?:\\.${ID}+)*))?$`);
const semverRe = new RegExp(`^v?([0-9]+(?:\\.[0-9]+)*?)(?:-([0-9]+${ID}*(?:\\.${ID}+)*)|-([A-Za-z\\-~]+${ID}*(?:\\.${ID}+)*))?(?:\\+(${ID}+(?:\\.${ID}+)*))?$`);

export function parseVersion(s: string, semver = false): Version | null {
  const m = (semver ? semverRe : versionRe).exec(s);
  if (m === null) return null;
  const parts = (m[1] ?? '').split('.');
  const segments = parts.map(Number);
  if (segments.some((n) => !Number.isSafeInteger(n))) return null;
  const specified = segments.length;
  while (segments.length < 3) segments.push(0);
  return { segments, specified, pre: m[2] ?? m[3] ?? '', meta: m[4] ?? '' };
}

const isNumeric = (s: string): boolean => /^[0-9]+$/.test(s);

/** go-version's comparePart: a missing part sorts below a number and above a word. */
function comparePartGo(a: string, b: string): number {
  if (a === b) return 0;
  const an = /^[+-]?[0-9]+$/.test(a);
  const bn = /^[+-]?[0-9]+$/.test(b);
  if (a === '') return bn ? -1 : 1;
  if (b === '') return an ? 1 : -1;
  if (an && !bn) return -1;
  if (!an && bn) return 1;
  if (!an && !bn) return a > b ? 1 : -1;
  return Number(a) > Number(b) ? 1 : -1;
}

/** Semver 2.0 §11: numeric < alphanumeric, numbers numerically, a shorter set of equal prefix first. */
function comparePartSemver(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const an = isNumeric(a);
  const bn = isNumeric(b);
  if (an && bn) return Math.sign(Number(a) - Number(b));
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : 1;
}

function comparePre(a: string, b: string, semver: boolean): number {
  if (a === b) return 0;
  const pa = a.split('.');
  const pb = b.split('.');
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const c = semver ? comparePartSemver(pa[i], pb[i]) : comparePartGo(pa[i] ?? '', pb[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version, semver = false): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i] ?? 0;
    const y = b.segments[i] ?? 0;
    if (x !== y) return x > y ? 1 : -1;
  }
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePre(a.pre, b.pre, semver);
}

function sameSegments(a: Version, b: Version): boolean {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) if ((a.segments[i] ?? 0) !== (b.segments[i] ?? 0)) return false;
  return true;
}

/** go-version's prereleaseCheck. */
function prereleaseOK(v: Version, c: Version): boolean {
  const vPre = v.pre !== '';
  const cPre = c.pre !== '';
  if (cPre && vPre) return sameSegments(v, c);
  if (!cPre && vPre) return false;
  return true;
}

function pessimistic(v: Version, c: Version): boolean {
  if (!prereleaseOK(v, c) || (c.pre !== '' && v.pre === '')) return false;
  if (compareVersions(v, c) < 0) return false;
  if (c.specified > v.specified) return false;
  for (let i = 0; i < c.specified - 1; i++) if (v.segments[i] !== c.segments[i]) return false;
  return (c.segments[c.specified - 1] ?? 0) <= (v.segments[c.specified - 1] ?? 0);
}

type Check = (v: Version) => boolean;

function single(op: string, c: Version, semver: boolean): Check | null {
  const cmp = (v: Version): number => compareVersions(v, c, semver);
  const pre = (v: Version): boolean => semver || prereleaseOK(v, c);
  switch (op) {
    case '':
    case '=':
      return (v) => cmp(v) === 0;
    case '!=':
      return (v) => cmp(v) !== 0;
    case '>':
      return (v) => pre(v) && cmp(v) > 0;
    case '<':
      return (v) => pre(v) && cmp(v) < 0;
    case '>=':
      return (v) => pre(v) && cmp(v) >= 0;
    case '<=':
      return (v) => pre(v) && cmp(v) <= 0;
    case '~>':
      return semver ? null : (v) => pessimistic(v, c);
    default:
      return null;
  }
}

const opRe = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*$/;

/** Parses "`>= 1.2, < 2.0`"; null when any part is malformed. */
export function parseConstraint(text: string, semver = false): Check | null {
  const checks: Check[] = [];
  for (const part of text.split(',')) {
    const m = opRe.exec(part);
    if (m === null) return null;
    const v = parseVersion(m[2] ?? '', semver);
    if (v === null) return null;
    const check = single(m[1] ?? '', v, semver);
    if (check === null) return null;
    checks.push(check);
  }
  return (v) => checks.every((c) => c(v));
}

/** Does `value` satisfy `constraint`? Unparseable input on either side → false. */
export function versionMatches(value: string, constraint: string, semver = false, cache?: Map<string, Check | null>): boolean {
  const v = parseVersion(value, semver);
  if (v === null) return false;
  const key = `${semver ? 's' : 'v'}:${constraint}`;
  let check = cache?.get(key);
  if (check === undefined) {
    check = parseConstraint(constraint, semver);
    cache?.set(key, check);
  }
  return check !== null && check(v);
}
