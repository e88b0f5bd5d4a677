// Decoders for the small policy blocks shared by several levels of a job: constraint and affinity
// (with Nomad's shorthands), spread, restart, reschedule, update, migrate, ephemeral_disk,
// disconnect, scaling, consul and vault. Each reads one block body into its api shape, leaving
// absent attributes absent so canonicalization can tell "unset" from "zero".
import type { Affinity, Constraint, DisconnectStrategy, EphemeralDisk, RestartPolicy, ScalingPolicy, Spread } from '../structs/index.js';
import type { Api, ApiMigrate, ApiReschedule, ApiUpdate } from './api-types.js';
import { blocksOf, compact, type DecodeContext } from './decode-context.js';
import { bodyToValue, type Block, type Body } from './hcl/index.js';
import { SCHEMAS } from './schema.js';

/** `constraint { … }`: attribute/value/operator plus shorthands; the default operator is "=". */
export function decodeConstraint(dc: DecodeContext, body: Body): Constraint {
  const c = dc.content(body, SCHEMAS.constraint);
  const a = c.attributes;
  const out: Constraint = { LTarget: dc.string(a['attribute']) ?? '', RTarget: dc.string(a['value']) ?? '', Operand: dc.string(a['operator']) ?? '' };
  for (const op of ['version', 'semver', 'regexp', 'set_contains', 'set_contains_all', 'set_contains_any'] as const) {
    const v = dc.string(a[op]);
    if (v !== undefined && v !== '') {
      out.Operand = op;
      out.RTarget = v;
    }
  }
  const hosts = dc.bool(a['distinct_hosts']);
  if (hosts !== undefined) {
    out.Operand = 'distinct_hosts';
    out.RTarget = String(hosts);
  }
  const property = dc.string(a['distinct_property']);
  if (property !== undefined && property !== '') {
    out.Operand = 'distinct_property';
    out.LTarget = property;
  }
  for (const op of ['is_set', 'is_not_set'] as const) {
    const v = dc.string(a[op]);
    if (v !== undefined && v !== '') {
      out.Operand = op;
      out.LTarget = v;
    }
  }
  if (out.Operand === '') out.Operand = '=';
  return out;
}

/** `affinity { … }`: like constraint, plus weight (an int8, defaulted to 50 by canonicalization). */
export function decodeAffinity(dc: DecodeContext, body: Body): Api<Affinity> {
  const c = dc.content(body, SCHEMAS.affinity);
  const a = c.attributes;
  const out: Api<Affinity> = { LTarget: dc.string(a['attribute']) ?? '', RTarget: dc.string(a['value']) ?? '', Operand: dc.string(a['operator']) ?? '' };
  const weight = dc.int(a['weight'], -128, 127);
  if (weight !== undefined) out.Weight = weight;
  for (const op of ['version', 'semver', 'regexp', 'set_contains_any', 'set_contains_all', 'set_contains'] as const) {
    const v = dc.string(a[op]);
    if (v !== undefined && v !== '') {
      out.Operand = op;
      out.RTarget = v;
    }
  }
  if (out.Operand === '') out.Operand = '=';
  return out;
}

export function decodeSpread(dc: DecodeContext, body: Body): Api<Spread> {
  const c = dc.content(body, SCHEMAS.spread);
  const targets = blocksOf(c, 'target').map((b) => {
    const t = dc.content(b.body, SCHEMAS.spreadTarget);
    return { Value: b.labels[0] ?? '', Percent: dc.int(t.attributes['percent'], 0, 255) ?? 0 };
  });
  return compact<Api<Spread>>({ Attribute: dc.string(c.attributes['attribute']) ?? '', Weight: dc.int(c.attributes['weight'], -128, 127), SpreadTarget: targets.length > 0 ? targets : undefined });
}

export function decodeRestart(dc: DecodeContext, body: Body): Api<RestartPolicy> {
  const a = dc.content(body, SCHEMAS.restart).attributes;
  return compact<Api<RestartPolicy>>({
    Attempts: dc.int(a['attempts']),
    Interval: dc.duration(a['interval']),
    Delay: dc.duration(a['delay']),
    Mode: dc.string(a['mode']),
    RenderTemplates: dc.bool(a['render_templates']),
  });
}

export function decodeReschedule(dc: DecodeContext, body: Body): ApiReschedule {
  const a = dc.content(body, SCHEMAS.reschedule).attributes;
  return compact<ApiReschedule>({
    Attempts: dc.int(a['attempts']),
    Interval: dc.duration(a['interval']),
    Delay: dc.duration(a['delay']),
    DelayFunction: dc.string(a['delay_function']),
    MaxDelay: dc.duration(a['max_delay']),
    Unlimited: dc.bool(a['unlimited']),
  });
}

export function decodeUpdate(dc: DecodeContext, body: Body): ApiUpdate {
  const a = dc.content(body, SCHEMAS.update).attributes;
  return compact<ApiUpdate>({
    Stagger: dc.duration(a['stagger']),
    MaxParallel: dc.int(a['max_parallel']),
    HealthCheck: dc.string(a['health_check']),
    MinHealthyTime: dc.duration(a['min_healthy_time']),
    HealthyDeadline: dc.duration(a['healthy_deadline']),
    ProgressDeadline: dc.duration(a['progress_deadline']),
    Canary: dc.int(a['canary']),
    AutoRevert: dc.bool(a['auto_revert']),
    AutoPromote: dc.bool(a['auto_promote']),
  });
}

export function decodeMigrate(dc: DecodeContext, body: Body): ApiMigrate {
  const a = dc.content(body, SCHEMAS.migrate).attributes;
  return compact<ApiMigrate>({
    MaxParallel: dc.int(a['max_parallel']),
    HealthCheck: dc.string(a['health_check']),
    MinHealthyTime: dc.duration(a['min_healthy_time']),
    HealthyDeadline: dc.duration(a['healthy_deadline']),
  });
}

export function decodeEphemeralDisk(dc: DecodeContext, body: Body): Api<EphemeralDisk> {
  const a = dc.content(body, SCHEMAS.ephemeralDisk).attributes;
  return compact<Api<EphemeralDisk>>({ Sticky: dc.bool(a['sticky']), Migrate: dc.bool(a['migrate']), SizeMB: dc.int(a['size']) });
}

export function decodeDisconnect(dc: DecodeContext, body: Body): Api<DisconnectStrategy> {
  const a = dc.content(body, SCHEMAS.disconnect).attributes;
  return compact<Api<DisconnectStrategy>>({
    LostAfter: dc.duration(a['lost_after']),
    StopOnClientAfter: dc.duration(a['stop_on_client_after']),
    Replace: dc.bool(a['replace']),
    Reconcile: dc.string(a['reconcile']),
  });
}

/** `scaling { min, max, enabled, type, policy { … } }`; the policy body is free-form data. */
export function decodeScaling(dc: DecodeContext, block: Block, defaultType: string): Api<ScalingPolicy> {
  const c = dc.content(block.body, SCHEMAS.scaling);
  const a = c.attributes;
  const policyBlock = dc.single(blocksOf(c, 'policy'), 'policy');
  let policy: Record<string, unknown> | undefined;
  if (policyBlock !== undefined) {
    const r = bodyToValue(policyBlock.body, dc.ctx);
    dc.diags.push(...r.diagnostics);
    policy = r.value;
  }
  const type = dc.string(a['type']);
  if (type !== undefined && type !== '' && type !== defaultType && defaultType === 'horizontal') {
    dc.error('Invalid group scaling type', `task group scaling policy had invalid type: "${type}"`, a['type']?.expr.range);
  }
  if (defaultType === 'horizontal' && a['max'] === undefined) {
    dc.error('Missing required argument', 'The argument "max" is required, but no definition was found.', block.body.missingItemRange);
  }
  return compact<Api<ScalingPolicy>>({ Min: dc.int(a['min']), Max: dc.int(a['max']), Enabled: dc.bool(a['enabled']), Type: type === undefined || type === '' ? defaultType : type, Policy: policy });
}

/** `consul { namespace, cluster, partition }` (stored; Roam has no Consul integration yet). */
export function decodeConsul(dc: DecodeContext, body: Body): Record<string, unknown> {
  const a = dc.content(body, SCHEMAS.consul).attributes;
  return { Namespace: dc.string(a['namespace']) ?? '', Cluster: dc.string(a['cluster']) ?? '', Partition: dc.string(a['partition']) ?? '' };
}

/** `vault { … }` with jobspec2's normalizeVault defaults (env, disable_file, change_mode). */
export function decodeVault(dc: DecodeContext, body: Body): Record<string, unknown> {
  const a = dc.content(body, SCHEMAS.vault).attributes;
  return compact<Record<string, unknown>>({
    Policies: dc.stringList(a['policies']),
    Role: dc.string(a['role']) ?? '',
    Namespace: dc.string(a['namespace']),
    Cluster: dc.string(a['cluster']) ?? '',
    Env: dc.bool(a['env']) ?? true,
    DisableFile: dc.bool(a['disable_file']) ?? false,
    ChangeMode: dc.string(a['change_mode']) ?? 'restart',
    ChangeSignal: dc.string(a['change_signal']),
    AllowTokenExpiration: dc.bool(a['allow_token_expiration']),
  });
}

/** `secret "name" { provider, path, config {…}, env {…} }` (Nomad 1.10+), stored as written. */
export function decodeSecret(dc: DecodeContext, block: Block): Record<string, unknown> {
  const c = dc.content(block.body, SCHEMAS.secret);
  const cfg = dc.single(blocksOf(c, 'config'), 'config');
  const env = dc.single(blocksOf(c, 'env'), 'env');
  let config: Record<string, unknown> | null = null;
  if (cfg !== undefined) {
    const r = bodyToValue(cfg.body, dc.ctx);
    dc.diags.push(...r.diagnostics);
    config = r.value;
  }
  return { Name: block.labels[0] ?? '', Provider: dc.string(c.attributes['provider']) ?? '', Path: dc.string(c.attributes['path']) ?? '', Config: config, Env: env === undefined ? null : dc.attributeMap(env.body) };
}
