// What an artifact's `source` means, as go-getter reads it (after Nomad has interpolated it and
// added `options` to its query): a forced getter ("git::https://…"), a subdirectory ("…//sub"),
// shorthand detection (github.com/…, gitlab.com/…, git@host:path, absolute paths, S3 and GCS
// hosts), and the "magic" query parameters go-getter consumes itself — archive, checksum,
// filename, and git's ref, depth and sshkey. Pure: no I/O; errors say what was expected.

/** The getters Roam has. */
export type GetterKind = 'http' | 'file' | 'git';

export interface ArtifactSource {
  getter: GetterKind;
  /** What is fetched: an http(s) URL, a file:// URL, or what git clones (URL or scp-like address). */
  url: string;
  /** The path part of the source, for the downloaded file's name and archive detection. */
  path: string;
  /** `archive` option: undefined (detect by extension), false (never unpack) or a format name. */
  archive: string | false | undefined;
  /** `checksum` option as written ("sha256:…", "file:URL", or a bare hex digest). */
  checksum: string | undefined;
  /** `filename` option: the name of a downloaded file in "any" mode. */
  filename: string | undefined;
  /** "//sub/dir" in the source: only that part of the download lands in the destination. */
  subdir: string;
  git: { ref: string; depth: number; sshKey: string };
}

export class SourceError extends Error {}

const UNSUPPORTED: Record<string, string> = {
  s3: 'Amazon S3',
  gcs: 'Google Cloud Storage',
  gs: 'Google Cloud Storage',
  hg: 'Mercurial',
};

function unsupported(kind: string): SourceError {
  return new SourceError(`${UNSUPPORTED[kind] ?? kind} artifacts ("${kind}") are not supported by Roam; supported sources are http(s)://, git (git::, git://, ssh://, github.com/…) and, where the client allows it, file paths`);
}

/** Splits "src?query" at the first '?'. */
function splitQuery(s: string): [string, string] {
  const i = s.indexOf('?');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/** go-getter's SourceDirSubdir: "https://h/repo.git//sub?x" → ["https://h/repo.git?x", "sub"]. */
export function splitSubdir(src: string): [string, string] {
  const [base, query] = splitQuery(src);
  const schemeEnd = base.indexOf('://');
  const offset = schemeEnd < 0 ? 0 : schemeEnd + 3;
  const i = base.indexOf('//', offset);
  if (i < 0) return [src, ''];
  return [base.slice(0, i) + (query ? `?${query}` : ''), base.slice(i + 2)];
}

/** "git::https://…" → ["git", "https://…"]. */
function forcedGetter(src: string): [string, string] {
  const m = /^([A-Za-z0-9]+)::(.+)$/s.exec(src);
  return m ? [(m[1] ?? '').toLowerCase(), m[2] ?? ''] : ['', src];
}

function schemeOf(src: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(src);
  return m ? (m[1] ?? '').toLowerCase() : '';
}

/** go-getter's detectors, for a source without a scheme. Returns [forced getter, url, subdir]. */
function detect(src: string): [string, string, string] {
  if (src.startsWith('/')) return ['file', `file://${src}`, ''];
  for (const host of ['github.com', 'gitlab.com']) {
    if (!src.startsWith(`${host}/`)) continue;
    const parts = src.split('/');
    if (parts.length < 3) throw new SourceError(`${host} sources must look like ${host}/owner/repo, got ${JSON.stringify(src)}`);
    let repo = `https://${parts.slice(0, 3).join('/')}`;
    if (!repo.endsWith('.git')) repo += '.git';
    return ['git', repo, parts.slice(3).join('/')];
  }
  if (src.startsWith('bitbucket.org/')) throw new SourceError(`bitbucket.org shorthand sources are not supported by Roam; use the repository's git URL with "git::https://bitbucket.org/…"`);
  const ssh = /^git@([^:/]+):\/?(.+)$/.exec(src);
  if (ssh) return ['git', `git@${ssh[1] ?? ''}:${ssh[2] ?? ''}`, ''];
  const host = src.split('/')[0] ?? '';
  if (host.includes('amazonaws.com')) throw unsupported('s3');
  if (host.includes('googleapis.com')) throw unsupported('gcs');
  throw new SourceError(`invalid source string: ${src} (expected a URL such as https://example.com/app.tar.gz, a git source such as git::https://example.com/repo.git, or an absolute path)`);
}

/**
 * Parses an artifact source (already interpolated) with its options (interpolated) into what the
 * getter does. `options` become query parameters, as Nomad adds them to the source URL.
 */
export function parseArtifactSource(source: string, options: Readonly<Record<string, string>>): ArtifactSource {
  let src = source.trim();
  if (src === '') throw new SourceError('source must not be empty');
  let force: string;
  [force, src] = forcedGetter(src);
  let subdir: string;
  [src, subdir] = splitSubdir(src);
  if (UNSUPPORTED[force]) throw unsupported(force);
  const scheme = schemeOf(src);
  if (scheme === '' || (scheme === 'git' && src.startsWith('git@'))) {
    const [detForce, url, detSub] = detect(src);
    if (force === '') force = detForce;
    src = url;
    subdir = [detSub, subdir].filter((s) => s !== '').join('/');
  } else if (UNSUPPORTED[scheme]) throw unsupported(scheme);

  // Options join the query; go-getter then takes its magic parameters back out.
  const [rawBase, query] = splitQuery(src);
  let base = rawBase;
  const q = new URLSearchParams(query);
  for (const [k, v] of Object.entries(options)) q.set(k, v);
  const take = (k: string): string | undefined => {
    const v = q.get(k);
    q.delete(k);
    return v ?? undefined;
  };
  const archiveOpt = take('archive');
  const checksum = take('checksum');
  let archive: string | false | undefined;
  if (archiveOpt !== undefined && archiveOpt !== '') archive = ['false', '0', 'f', 'F', 'FALSE', 'False'].includes(archiveOpt) ? false : archiveOpt.toLowerCase();

  const kind: GetterKind | undefined =
    force === 'git' || (force === '' && (scheme === 'git' || scheme === 'ssh'))
      ? 'git'
      : force === 'http' || force === 'https' || (force === '' && (scheme === 'http' || scheme === 'https'))
        ? 'http'
        : force === 'file' || (force === '' && src.startsWith('file://'))
          ? 'file'
          : undefined;
  if (kind === undefined) throw new SourceError(`download not supported for scheme '${force || scheme}'`);

  const git = { ref: '', depth: 0, sshKey: '' };
  let filename: string | undefined;
  if (kind === 'git') {
    git.ref = take('ref') ?? '';
    git.sshKey = take('sshkey') ?? '';
    const depth = take('depth');
    if (depth !== undefined && depth !== '') {
      if (!/^\d+$/.test(depth)) throw new SourceError(`git option depth must be a whole number, got ${JSON.stringify(depth)}`);
      git.depth = Number(depth);
    }
    if (git.ref.startsWith('-')) throw new SourceError(`git option ref must not start with "-": ${JSON.stringify(git.ref)}`);
  } else {
    filename = take('filename');
    if (filename !== undefined && (filename === '' || filename.split(/[/\\]/).includes('..') || filename.includes('/'))) throw new SourceError(`filename option must be a plain file name, got ${JSON.stringify(filename)}`);
  }
  const rest = q.toString();
  if (query !== '' || Object.keys(options).length > 0) base = rest === '' ? base : `${base}?${rest}`;
  else base = src;

  let path: string;
  if (kind === 'http' || kind === 'file') {
    let u: URL;
    try {
      u = new URL(base);
    } catch {
      throw new SourceError(`failed to parse source URL ${JSON.stringify(source)}`);
    }
    if (kind === 'http' && u.protocol !== 'http:' && u.protocol !== 'https:') throw new SourceError(`http sources must be http:// or https:// URLs, got ${JSON.stringify(source)}`);
    if (kind === 'file' && (u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost'))) throw new SourceError(`file sources must be absolute paths or file:///absolute/path URLs, got ${JSON.stringify(source)}`);
    path = decodeURIComponent(u.pathname);
  } else {
    path = splitQuery(base)[0];
  }
  return { getter: kind, url: base, path, archive, checksum, filename, subdir, git };
}
