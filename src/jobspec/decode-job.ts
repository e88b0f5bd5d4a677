// Decoder for the `job` block: its attributes, groups, the job-level policy blocks, periodic and
// parameterized, ui and multiregion, and jobspec2's special cases: a lone job-level `task` becomes
// a group of its own, and a job-level `vault`/`secret` is pushed down to every task. Dynamic blocks
// are expanded while reading (the body is wrapped with expandDynamic by the caller).
import type { PeriodicConfig } from '../structs/index.js';
import type { Api, ApiJob, ApiTaskGroup } from './api-types.js';
import { blocksOf, compact, mapBlockOrAttribute, type DecodeContext } from './decode-context.js';
import { decodeGroup, groupPath } from './decode-group.js';
import { decodeAffinity, decodeConstraint, decodeMigrate, decodeReschedule, decodeSecret, decodeSpread, decodeUpdate, decodeVault } from './decode-policies.js';
import { decodeTask } from './decode-task.js';
import type { Block, Body } from './hcl/index.js';
import { SCHEMAS } from './schema.js';

function decodePeriodic(dc: DecodeContext, body: Body): Api<PeriodicConfig> {
  const a = dc.content(body, SCHEMAS.periodic).attributes;
  const spec = dc.string(a['cron']);
  const specs = dc.stringList(a['crons']);
  return compact<Api<PeriodicConfig>>({
    Enabled: dc.bool(a['enabled']),
    Spec: spec,
    Specs: specs,
    // normalizeJob: a periodic block with cron or crons is a cron spec.
    SpecType: spec !== undefined || specs !== undefined ? 'cron' : undefined,
    ProhibitOverlap: dc.bool(a['prohibit_overlap']),
    TimeZone: dc.string(a['time_zone']),
  });
}

function decodeMultiregion(dc: DecodeContext, body: Body): Record<string, unknown> {
  const c = dc.content(body, SCHEMAS.multiregion);
  const strategy = dc.single(blocksOf(c, 'strategy'), 'strategy');
  let strategyValue: Record<string, unknown> | null = null;
  if (strategy !== undefined) {
    const s = dc.content(strategy.body, SCHEMAS.multiregionStrategy).attributes;
    strategyValue = compact<Record<string, unknown>>({ MaxParallel: dc.int(s['max_parallel']), OnFailure: dc.string(s['on_failure']) });
  }
  const regions = blocksOf(c, 'region').map((b) => {
    const r = dc.content(b.body, SCHEMAS.multiregionRegion);
    const meta = dc.single(blocksOf(r, 'meta'), 'meta');
    return compact<Record<string, unknown>>({
      Name: b.labels[0] ?? '',
      Count: dc.int(r.attributes['count']),
      Datacenters: dc.stringList(r.attributes['datacenters']),
      NodePool: dc.string(r.attributes['node_pool']) ?? '',
      Meta: meta === undefined ? undefined : dc.attributeMap(meta.body),
    });
  });
  return { Strategy: strategyValue, Regions: regions.length > 0 ? regions : null };
}

function decodeUI(dc: DecodeContext, body: Body): Record<string, unknown> {
  const c = dc.content(body, SCHEMAS.ui);
  const links = blocksOf(c, 'link').map((b) => {
    const l = dc.content(b.body, SCHEMAS.uiLink).attributes;
    return { Label: dc.string(l['label']) ?? '', URL: dc.string(l['url']) ?? '' };
  });
  return { Description: dc.string(c.attributes['description']) ?? '', Links: links.length > 0 ? links : null };
}

export function decodeJob(dc: DecodeContext, block: Block): ApiJob {
  const jobID = block.labels[0] ?? '';
  dc.mark('job', block.defRange);
  const meta = mapBlockOrAttribute(dc, block.body, 'meta');
  const c = dc.content(meta.rest, SCHEMAS.job);
  const a = c.attributes;
  const one = (type: string): Block | undefined => {
    const b = dc.single(blocksOf(c, type), type);
    if (b !== undefined) dc.mark(type, b.defRange);
    return b;
  };
  const update = one('update');
  const periodic = one('periodic');
  const parameterized = one('parameterized');
  const reschedule = one('reschedule');
  const migrate = one('migrate');
  const multiregion = one('multiregion');
  const ui = one('ui');
  const vault = one('vault');
  const metaBlock = one('meta');

  const lone: ApiTaskGroup[] = blocksOf(c, 'task').map((b) => {
    const name = b.labels[0] ?? '';
    dc.mark(groupPath(name), b.defRange);
    return { Name: name, Tasks: [decodeTask(dc, b, `${groupPath(name)} → task ${JSON.stringify(name)}`)] };
  });
  const groups = [...lone, ...blocksOf(c, 'group').map((b) => decodeGroup(dc, b))];
  const vaultValue = vault === undefined ? undefined : decodeVault(dc, vault.body);
  const secrets = blocksOf(c, 'secret').map((b) => decodeSecret(dc, b));
  for (const g of groups) {
    for (const t of g.Tasks ?? []) {
      if (vaultValue !== undefined && t.Vault == null) t.Vault = vaultValue;
      if (secrets.length > 0) t.Secrets = [...(t.Secrets ?? []), ...secrets];
    }
  }

  let param: ApiJob['ParameterizedJob'];
  if (parameterized !== undefined) {
    const p = dc.content(parameterized.body, SCHEMAS.parameterized).attributes;
    param = compact<NonNullable<ApiJob['ParameterizedJob']>>({ Payload: dc.string(p['payload']) ?? '', MetaRequired: dc.stringList(p['meta_required']), MetaOptional: dc.stringList(p['meta_optional']) });
  }
  const constraints = blocksOf(c, 'constraint').map((b) => decodeConstraint(dc, b.body));
  const affinities = blocksOf(c, 'affinity').map((b) => decodeAffinity(dc, b.body));
  const spreads = blocksOf(c, 'spread').map((b) => decodeSpread(dc, b.body));

  const id = dc.string(a['id']);
  return compact<ApiJob>({
    Region: dc.string(a['region']),
    Namespace: dc.string(a['namespace']),
    ID: id ?? jobID,
    Name: dc.string(a['name']) ?? jobID,
    Type: dc.string(a['type']),
    Priority: dc.int(a['priority']),
    AllAtOnce: dc.bool(a['all_at_once']),
    Datacenters: dc.stringList(a['datacenters']),
    NodePool: dc.string(a['node_pool']),
    Constraints: constraints.length > 0 ? constraints : undefined,
    Affinities: affinities.length > 0 ? affinities : undefined,
    TaskGroups: groups,
    Update: update === undefined ? undefined : decodeUpdate(dc, update.body),
    Multiregion: multiregion === undefined ? undefined : decodeMultiregion(dc, multiregion.body),
    Spreads: spreads.length > 0 ? spreads : undefined,
    Periodic: periodic === undefined ? undefined : decodePeriodic(dc, periodic.body),
    ParameterizedJob: param,
    Reschedule: reschedule === undefined ? undefined : decodeReschedule(dc, reschedule.body),
    Migrate: migrate === undefined ? undefined : decodeMigrate(dc, migrate.body),
    Meta: meta.value ?? (metaBlock === undefined ? undefined : dc.attributeMap(metaBlock.body)),
    UI: ui === undefined ? undefined : decodeUI(dc, ui.body),
  });
}
