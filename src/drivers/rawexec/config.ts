// raw_exec's plugin config (`plugin "raw_exec" { config { … } }`) and task config (`config { … }`
// in a task), as Nomad's drivers/rawexec/driver.go declares them, with their validation.
import type { ConfigSchema } from '../shared/config-schema.js';
import { checkConfig, readBool, readInt, readString, readStringList } from '../shared/config-schema.js';

export const PLUGIN_SCHEMA: ConfigSchema = {
  enabled: { type: 'bool' },
  denied_host_uids: { type: 'string' },
  denied_host_gids: { type: 'string' },
  denied_envvars: { type: 'string[]' },
  // accepted as Nomad does, without effect here
  no_cgroups: { type: 'bool' },
};

export const TASK_SCHEMA: ConfigSchema = {
  command: { type: 'string', required: true },
  args: { type: 'string[]' },
  work_dir: { type: 'string' },
  oom_score_adj: { type: 'int' },
  denied_envvars: { type: 'string[]' },
  // accepted for compatibility; Roam's raw_exec puts tasks in no cgroup of their own
  cgroup_v1_override: { type: 'map' },
  cgroup_v2_override: { type: 'string' },
};

/** Inclusive ID ranges from Nomad's "0,10-20" syntax. */
export type IdRanges = [number, number][];

export function parseIdRanges(spec: string, what: string): IdRanges {
  const out: IdRanges = [];
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`invalid ${what} range ${JSON.stringify(part)}: expected N or N-M`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new Error(`invalid ${what} range ${JSON.stringify(part)}: ${hi} is below ${lo}`);
    out.push([lo, hi]);
  }
  return out;
}

export function inRanges(id: number, ranges: IdRanges): boolean {
  return ranges.some(([lo, hi]) => id >= lo && id <= hi);
}

export interface PluginConfig {
  enabled: boolean;
  deniedHostUids: IdRanges;
  deniedHostGids: IdRanges;
  deniedEnvvars: string[];
}

/** Parses the plugin config; throws with a sentence naming the option when it is wrong. */
export function parsePluginConfig(raw: Record<string, unknown>): PluginConfig {
  const errs = checkConfig('raw_exec plugin', raw, PLUGIN_SCHEMA).filter((e) => !e.startsWith('unknown option'));
  if (errs.length > 0) throw new Error(errs.join('; '));
  return {
    enabled: readBool(raw, 'enabled') ?? false,
    deniedHostUids: parseIdRanges(readString(raw, 'denied_host_uids') ?? '', 'denied_host_uids'),
    deniedHostGids: parseIdRanges(readString(raw, 'denied_host_gids') ?? '', 'denied_host_gids'),
    deniedEnvvars: readStringList(raw, 'denied_envvars') ?? [],
  };
}

export interface RawExecTaskConfig {
  command: string;
  args: string[];
  workDir: string | undefined;
  oomScoreAdj: number | undefined;
  deniedEnvvars: string[];
}

export function validateTaskConfig(config: Record<string, unknown>): string[] {
  const errs = checkConfig('raw_exec', config, TASK_SCHEMA);
  const adj = readInt(config, 'oom_score_adj');
  if (adj !== undefined && (adj < 0 || adj > 1000)) errs.push('raw_exec option "oom_score_adj" must be between 0 and 1000');
  const wd = readString(config, 'work_dir');
  if (wd !== undefined && wd !== '' && !wd.startsWith('/')) errs.push(`raw_exec option "work_dir" must be an absolute path, got ${JSON.stringify(wd)}`);
  return errs;
}

export function parseTaskConfig(config: Record<string, unknown>): RawExecTaskConfig {
  const wd = readString(config, 'work_dir');
  return {
    command: readString(config, 'command') ?? '',
    args: readStringList(config, 'args') ?? [],
    workDir: wd === '' ? undefined : wd,
    oomScoreAdj: readInt(config, 'oom_score_adj'),
    deniedEnvvars: readStringList(config, 'denied_envvars') ?? [],
  };
}

/** Drops the variables named by the deny lists; `*` in a pattern matches any run of characters. */
export function filterEnv(env: Record<string, string>, patterns: string[]): Record<string, string> {
  if (patterns.length === 0) return env;
  const res = patterns.map((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (!res.some((r) => r.test(k))) out[k] = v;
  return out;
}
