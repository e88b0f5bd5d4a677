// The client's `artifact { … }` settings (Nomad's client/config ArtifactConfig, same names and
// defaults) as the downloader uses them: durations in milliseconds, sizes in bytes. Parsing the
// agent's strings ("30m", "100GB") happens in the agent's config decoder with parseBytes below.
// Pure: no I/O.

export interface ArtifactConfig {
  /** http_read_timeout: a whole HTTP download (and a checksum file) must finish within this. */
  httpReadTimeoutMs: number;
  /** http_max_size: the largest body an HTTP download may have. */
  httpMaxBytes: number;
  /** git_timeout: a whole git clone/checkout must finish within this. */
  gitTimeoutMs: number;
  /** gcs_timeout, hg_timeout, s3_timeout: accepted for configuration compatibility; Roam has no gcs/hg/s3 getters. */
  gcsTimeoutMs: number;
  hgTimeoutMs: number;
  s3TimeoutMs: number;
  /** decompression_file_count_limit: most entries one archive may hold (0: no limit). */
  decompressionFileCountLimit: number;
  /** decompression_size_limit: most bytes one archive may unpack to (0: no limit). */
  decompressionSizeLimit: number;
  /** disable_filesystem_isolation: Roam has no Landlock sandbox, so downloads are always staged and inspected (what Nomad does where Landlock is unavailable); the setting is accepted and reported. */
  disableFilesystemIsolation: boolean;
  /**
   * filesystem_isolation_extra_paths ("[f|d]:[rwcx]:/path"): besides the task's directories, what
   * the downloader may read. In Roam this is what gates `file` sources (and local git
   * repositories): only paths listed here with `r` may be read; none by default.
   */
  filesystemIsolationExtraPaths: string[];
  /** set_environment_variables: comma- or space-separated names of agent variables child processes (git, bzip2, xz) inherit; none by default. */
  setEnvironmentVariables: string;
}

const MINUTE = 60_000;

/** Nomad's DefaultArtifactConfig. */
export const DEFAULT_ARTIFACT_CONFIG: Readonly<ArtifactConfig> = Object.freeze({
  httpReadTimeoutMs: 30 * MINUTE,
  httpMaxBytes: 100e9,
  gitTimeoutMs: 30 * MINUTE,
  gcsTimeoutMs: 30 * MINUTE,
  hgTimeoutMs: 30 * MINUTE,
  s3TimeoutMs: 30 * MINUTE,
  decompressionFileCountLimit: 4096,
  decompressionSizeLimit: 100e9,
  disableFilesystemIsolation: false,
  filesystemIsolationExtraPaths: [],
  setEnvironmentVariables: '',
});

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  ki: 2 ** 10,
  kib: 2 ** 10,
  m: 1e6,
  mb: 1e6,
  mi: 2 ** 20,
  mib: 2 ** 20,
  g: 1e9,
  gb: 1e9,
  gi: 2 ** 30,
  gib: 2 ** 30,
  t: 1e12,
  tb: 1e12,
  ti: 2 ** 40,
  tib: 2 ** 40,
  p: 1e15,
  pb: 1e15,
  pi: 2 ** 50,
  pib: 2 ** 50,
  e: 1e18,
  eb: 1e18,
  ei: 2 ** 60,
  eib: 2 ** 60,
};

/** go-humanize's ParseBytes: "100GB" (powers of 1000), "1.5 GiB" (powers of 1024), "4096" (bytes). */
export function parseBytes(s: string): number {
  const m = /^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$/.exec(s);
  const mult = m ? UNITS[(m[2] ?? '').toLowerCase()] : undefined;
  if (!m || mult === undefined) throw new Error(`invalid size ${JSON.stringify(s)}: expected a number with an optional unit such as "100GB", "512MiB" or "4096"`);
  const n = Number((m[1] ?? '').replace(/,/g, '')) * mult;
  if (!Number.isFinite(n) || n > Number.MAX_SAFE_INTEGER) throw new Error(`invalid size ${JSON.stringify(s)}: too large`);
  return Math.floor(n);
}

export interface ExtraPath {
  kind: 'f' | 'd';
  mode: string;
  path: string;
}

/** One filesystem_isolation_extra_paths entry, "[f|d]:[rwcx]*:/absolute/path" (go-landlock's ParsePath). */
export function parseExtraPath(s: string): ExtraPath {
  const m = /^([fd]):([rwcx]*):(\/.*)$/.exec(s);
  if (!m) throw new Error(`invalid filesystem_isolation_extra_paths entry ${JSON.stringify(s)}: expected "[f|d]:[rwcx]:/absolute/path", e.g. "d:r:/srv/artifacts"`);
  return { kind: m[1] === 'f' ? 'f' : 'd', mode: m[2] ?? '', path: m[3] ?? '/' };
}

/** The names set_environment_variables lists (comma or whitespace separated). */
export function inheritedNames(list: string): string[] {
  return list.split(/[\s,]+/).filter((s) => s !== '');
}
