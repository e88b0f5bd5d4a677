// Decoder for `group` blocks: count, tasks, networks, services, volumes, the policy blocks, and the
// group-level `vault`/`secret` blocks jobspec2 pushes down to the group's tasks.
import type { VolumeRequest } from '../structs/index.js';
import type { Api, ApiTaskGroup } from './api-types.js';
import { blocksOf, compact, mapBlockOrAttribute, type DecodeContext } from './decode-context.js';
import { decodeNetwork } from './decode-network.js';
import {
  decodeAffinity,
  decodeConstraint,
  decodeConsul,
  decodeDisconnect,
  decodeEphemeralDisk,
  decodeMigrate,
  decodeReschedule,
  decodeRestart,
  decodeScaling,
  decodeSecret,
  decodeSpread,
  decodeUpdate,
  decodeVault,
} from './decode-policies.js';
import { decodeService } from './decode-service.js';
import { decodeTask } from './decode-task.js';
import type { Block } from './hcl/index.js';
import { SCHEMAS } from './schema.js';

function decodeVolume(dc: DecodeContext, block: Block): Api<VolumeRequest> {
  const c = dc.content(block.body, SCHEMAS.volume);
  const a = c.attributes;
  const mo = dc.single(blocksOf(c, 'mount_options'), 'mount_options');
  let mountOptions: Api<VolumeRequest>['MountOptions'];
  if (mo !== undefined) {
    const m = dc.content(mo.body, SCHEMAS.mountOptions).attributes;
    mountOptions = { FSType: dc.string(m['fs_type']) ?? '', MountFlags: dc.stringList(m['mount_flags']) ?? null };
  }
  return compact<Api<VolumeRequest>>({
    Name: block.labels[0] ?? '',
    Type: dc.string(a['type']) ?? '',
    Source: dc.string(a['source']) ?? '',
    ReadOnly: dc.bool(a['read_only']) ?? false,
    Sticky: dc.bool(a['sticky']) ?? false,
    AccessMode: dc.string(a['access_mode']) ?? '',
    AttachmentMode: dc.string(a['attachment_mode']) ?? '',
    MountOptions: mountOptions,
    PerAlloc: dc.bool(a['per_alloc']) ?? false,
  });
}

export function groupPath(name: string): string {
  return `group ${JSON.stringify(name)}`;
}

export function decodeGroup(dc: DecodeContext, block: Block): ApiTaskGroup {
  const name = block.labels[0] ?? '';
  const path = groupPath(name);
  dc.mark(path, block.defRange);
  const meta = mapBlockOrAttribute(dc, block.body, 'meta');
  const c = dc.content(meta.rest, SCHEMAS.group);
  const a = c.attributes;
  const one = (type: string): Block | undefined => {
    const b = dc.single(blocksOf(c, type), type);
    if (b !== undefined) dc.mark(`${path} → ${type}`, b.defRange);
    return b;
  };
  const restart = one('restart');
  const reschedule = one('reschedule');
  const update = one('update');
  const migrate = one('migrate');
  const disk = one('ephemeral_disk');
  const disconnect = one('disconnect');
  const scaling = one('scaling');
  const consul = one('consul');
  const vault = one('vault');
  const metaBlock = one('meta');

  const tasks = blocksOf(c, 'task').map((b) => decodeTask(dc, b, `${path} → task ${JSON.stringify(b.labels[0] ?? '')}`));
  const vaultValue = vault === undefined ? undefined : decodeVault(dc, vault.body);
  const secrets = blocksOf(c, 'secret').map((b) => decodeSecret(dc, b));
  for (const t of tasks) {
    if (vaultValue !== undefined && t.Vault == null) t.Vault = vaultValue;
    if (secrets.length > 0) t.Secrets = [...(t.Secrets ?? []), ...secrets];
  }
  const volumes: Record<string, Api<VolumeRequest>> = {};
  for (const b of blocksOf(c, 'volume')) {
    dc.mark(`${path} → volume ${JSON.stringify(b.labels[0] ?? '')}`, b.defRange);
    volumes[b.labels[0] ?? ''] = decodeVolume(dc, b);
  }
  const constraints = blocksOf(c, 'constraint').map((b) => decodeConstraint(dc, b.body));
  const affinities = blocksOf(c, 'affinity').map((b) => decodeAffinity(dc, b.body));
  const spreads = blocksOf(c, 'spread').map((b) => decodeSpread(dc, b.body));
  const networks = blocksOf(c, 'network').map((b, i) => decodeNetwork(dc, b, `${path} → network[${i}]`));
  const services = blocksOf(c, 'service').map((b, i) => decodeService(dc, b, `${path} → service[${i}]`));

  return compact<ApiTaskGroup>({
    Name: name,
    Count: dc.int(a['count']),
    Constraints: constraints.length > 0 ? constraints : undefined,
    Affinities: affinities.length > 0 ? affinities : undefined,
    Tasks: tasks,
    Spreads: spreads.length > 0 ? spreads : undefined,
    Volumes: Object.keys(volumes).length > 0 ? volumes : undefined,
    RestartPolicy: restart === undefined ? undefined : decodeRestart(dc, restart.body),
    Disconnect: disconnect === undefined ? undefined : decodeDisconnect(dc, disconnect.body),
    ReschedulePolicy: reschedule === undefined ? undefined : decodeReschedule(dc, reschedule.body),
    EphemeralDisk: disk === undefined ? undefined : decodeEphemeralDisk(dc, disk.body),
    Update: update === undefined ? undefined : decodeUpdate(dc, update.body),
    Migrate: migrate === undefined ? undefined : decodeMigrate(dc, migrate.body),
    Networks: networks.length > 0 ? networks : undefined,
    Meta: meta.value ?? (metaBlock === undefined ? undefined : dc.attributeMap(metaBlock.body)),
    Services: services.length > 0 ? services : undefined,
    ShutdownDelay: dc.duration(a['shutdown_delay']),
    MaxRunDuration: dc.duration(a['max_run_duration']),
    StopAfterClientDisconnect: dc.duration(a['stop_after_client_disconnect']),
    MaxClientDisconnect: dc.duration(a['max_client_disconnect']),
    Scaling: scaling === undefined ? undefined : decodeScaling(dc, scaling, 'horizontal'),
    Consul: consul === undefined ? undefined : decodeConsul(dc, consul.body),
    PreventRescheduleOnLost: dc.bool(a['prevent_reschedule_on_lost']),
  });
}
