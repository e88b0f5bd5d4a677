// Decoder for `task` blocks: driver and its free-form `config`, env/meta (block or map attribute),
// resources, templates, artifacts, logs, lifecycle, volume mounts, services, restart, identities,
// task scaling policies ("cpu"/"mem") and the blocks Roam stores without acting on (vault,
// consul, csi_plugin, action, schedule).
import type { Api, ApiTask } from './api-types.js';
import type { ChangeScript, LogConfig, RequestedDevice, Resources, ScalingPolicy, TaskArtifact, Template, VolumeMount } from '../structs/index.js';
import { blocksOf, compact, mapBlockOrAttribute, type DecodeContext } from './decode-context.js';
import { decodeNetwork } from './decode-network.js';
import { decodeAffinity, decodeConstraint, decodeConsul, decodeRestart, decodeScaling, decodeSecret, decodeVault } from './decode-policies.js';
import { decodeIdentity, decodeService } from './decode-service.js';
import { bodyToValue, type Block, type Body } from './hcl/index.js';
import { SCHEMAS } from './schema.js';

function decodeResources(dc: DecodeContext, body: Body, path: string): Api<Resources> & { NUMA?: Record<string, unknown> } {
  const c = dc.content(body, SCHEMAS.resources);
  const a = c.attributes;
  const networks = blocksOf(c, 'network').map((b, i) => decodeNetwork(dc, b, `${path} → network[${i}]`));
  const devices = blocksOf(c, 'device').map((b): Api<RequestedDevice> => {
    const d = dc.content(b.body, SCHEMAS.device);
    const constraints = blocksOf(d, 'constraint').map((x) => decodeConstraint(dc, x.body));
    const affinities = blocksOf(d, 'affinity').map((x) => decodeAffinity(dc, x.body));
    return compact<Api<RequestedDevice>>({
      Name: b.labels[0] ?? '',
      Count: dc.int(d.attributes['count'], 0),
      Constraints: constraints.length > 0 ? constraints : undefined,
      Affinities: affinities.length > 0 ? affinities : undefined,
    });
  });
  const numa = dc.single(blocksOf(c, 'numa'), 'numa');
  let numaValue: Record<string, unknown> | undefined;
  if (numa !== undefined) {
    const n = dc.content(numa.body, SCHEMAS.numa).attributes;
    numaValue = { Affinity: dc.string(n['affinity']) ?? '', Devices: dc.stringList(n['devices']) ?? null };
  }
  return compact<Api<Resources> & { NUMA?: Record<string, unknown> }>({
    CPU: dc.int(a['cpu']),
    Cores: dc.int(a['cores']),
    MemoryMB: dc.int(a['memory']),
    MemoryMaxMB: dc.int(a['memory_max']),
    DiskMB: dc.int(a['disk']),
    SecretsMB: dc.int(a['secrets']),
    IOPS: dc.int(a['iops']),
    Networks: networks.length > 0 ? networks : undefined,
    Devices: devices.length > 0 ? devices : undefined,
    NUMA: numaValue,
  });
}

function decodeTemplate(dc: DecodeContext, block: Block, path: string): Api<Template> {
  dc.mark(path, block.defRange);
  const c = dc.content(block.body, SCHEMAS.template);
  const a = c.attributes;
  const scriptBlock = dc.single(blocksOf(c, 'change_script'), 'change_script');
  const waitBlock = dc.single(blocksOf(c, 'wait'), 'wait');
  let script: (Api<ChangeScript> & { RunOnFirstRender?: boolean }) | undefined;
  if (scriptBlock !== undefined) {
    const s = dc.content(scriptBlock.body, SCHEMAS.changeScript).attributes;
    // jobspec2's normalizeChangeScript fills these at parse time.
    script = {
      Command: dc.string(s['command']) ?? '',
      Args: dc.stringList(s['args']) ?? [],
      Timeout: dc.duration(s['timeout']) ?? 5_000_000_000,
      FailOnError: dc.bool(s['fail_on_error']) ?? false,
      RunOnFirstRender: dc.bool(s['run_on_first_render']) ?? false,
    };
  }
  let wait: Api<Template>['Wait'];
  if (waitBlock !== undefined) {
    const w = dc.content(waitBlock.body, SCHEMAS.wait).attributes;
    wait = { Min: dc.duration(w['min']) ?? null, Max: dc.duration(w['max']) ?? null };
  }
  // change_mode, perms, splay and error_on_missing_key get jobspec2's normalizeTemplates defaults.
  return compact<Api<Template>>({
    SourcePath: dc.string(a['source']),
    DestPath: dc.string(a['destination']),
    EmbeddedTmpl: dc.string(a['data']),
    ChangeMode: dc.string(a['change_mode']) ?? 'restart',
    ChangeSignal: dc.string(a['change_signal']),
    ChangeScript: script,
    Splay: dc.duration(a['splay']) ?? 5_000_000_000,
    Perms: dc.string(a['perms']) ?? '0644',
    Uid: dc.int(a['uid']),
    Gid: dc.int(a['gid']),
    LeftDelim: dc.string(a['left_delimiter']),
    RightDelim: dc.string(a['right_delimiter']),
    Envvars: dc.bool(a['env']),
    VaultGrace: dc.duration(a['vault_grace']),
    Wait: wait,
    ErrMissingKey: dc.bool(a['error_on_missing_key']) ?? false,
    Once: dc.bool(a['once']),
  });
}

function decodeArtifact(dc: DecodeContext, block: Block, path: string): Api<TaskArtifact> {
  dc.mark(path, block.defRange);
  const c = dc.content(block.body, SCHEMAS.artifact);
  const a = c.attributes;
  const options = dc.single(blocksOf(c, 'options'), 'options');
  const headers = dc.single(blocksOf(c, 'headers'), 'headers');
  return compact<Api<TaskArtifact>>({
    GetterSource: dc.string(a['source']),
    GetterOptions: options === undefined ? undefined : dc.attributeMap(options.body),
    GetterHeaders: headers === undefined ? undefined : dc.attributeMap(headers.body),
    GetterMode: dc.string(a['mode']),
    GetterInsecure: dc.bool(a['insecure']),
    RelativeDest: dc.string(a['destination']),
    Chown: dc.bool(a['chown']) ?? false,
  });
}

function decodeLogs(dc: DecodeContext, body: Body): Api<LogConfig> & { Enabled?: boolean } {
  const a = dc.content(body, SCHEMAS.logs).attributes;
  return compact<Api<LogConfig> & { Enabled?: boolean }>({
    MaxFiles: dc.int(a['max_files']),
    MaxFileSizeMB: dc.int(a['max_file_size']),
    Enabled: dc.bool(a['enabled']),
    Disabled: dc.bool(a['disabled']),
  });
}

function decodeVolumeMount(dc: DecodeContext, body: Body): Api<VolumeMount> {
  const a = dc.content(body, SCHEMAS.volumeMount).attributes;
  return compact<Api<VolumeMount>>({
    Volume: dc.string(a['volume']),
    Destination: dc.string(a['destination']),
    ReadOnly: dc.bool(a['read_only']),
    PropagationMode: dc.string(a['propagation_mode']),
    SELinuxLabel: dc.string(a['selinux_label']),
  });
}

/** Task `scaling "cpu" | "mem"` blocks: vertical scaling policies, at most one of each. */
function decodeTaskScaling(dc: DecodeContext, blocks: Block[]): Api<ScalingPolicy>[] {
  const seen = new Map<string, Block>();
  const out: Api<ScalingPolicy>[] = [];
  for (const b of blocks) {
    const label = (b.labels[0] ?? '').toLowerCase();
    const type = label === 'cpu' ? 'vertical_cpu' : label === 'mem' ? 'vertical_mem' : undefined;
    if (type === undefined) {
      dc.error('Invalid scaling policy name', 'scaling policy name must be "cpu" or "mem"', b.labelRanges[0] ?? b.defRange);
      continue;
    }
    if (seen.has(label)) {
      dc.error(`Duplicate scaling "${label}" block`, `Only one scaling ${label} block is allowed.`, b.defRange);
      continue;
    }
    seen.set(label, b);
    const p = decodeScaling(dc, b, type);
    if (p.Type !== type) {
      dc.error('Invalid scaling policy type', `Invalid policy type, expected "${type}" but found "${p.Type ?? ''}"`, b.defRange);
      continue;
    }
    out.push(p);
  }
  return out;
}

export function decodeTask(dc: DecodeContext, block: Block, path: string): ApiTask {
  dc.mark(path, block.defRange);
  const env = mapBlockOrAttribute(dc, block.body, 'env');
  const meta = mapBlockOrAttribute(dc, env.rest, 'meta');
  const c = dc.content(meta.rest, SCHEMAS.task);
  const a = c.attributes;
  const one = (type: string): Block | undefined => dc.single(blocksOf(c, type), type);

  const configBlock = one('config');
  let config: Record<string, unknown> | undefined;
  if (configBlock !== undefined) {
    const r = bodyToValue(configBlock.body, dc.ctx);
    dc.diags.push(...r.diagnostics);
    config = r.value;
  }
  const envBlock = one('env');
  const metaBlock = one('meta');
  const resources = one('resources');
  const restart = one('restart');
  const logs = one('logs');
  const lifecycle = one('lifecycle');
  const dispatch = one('dispatch_payload');
  const vault = one('vault');
  const consul = one('consul');
  const csi = one('csi_plugin');
  const schedule = one('schedule');

  let lifecycleValue: ApiTask['Lifecycle'];
  if (lifecycle !== undefined) {
    const l = dc.content(lifecycle.body, SCHEMAS.lifecycle).attributes;
    lifecycleValue = { Hook: dc.string(l['hook']) ?? '', Sidecar: dc.bool(l['sidecar']) ?? false };
  }
  let csiValue: Record<string, unknown> | undefined;
  if (csi !== undefined) {
    const p = dc.content(csi.body, SCHEMAS.csiPlugin).attributes;
    csiValue = {
      ID: dc.string(p['id']) ?? '',
      Type: dc.string(p['type']) ?? '',
      MountDir: dc.string(p['mount_dir']) ?? '',
      StagePublishBaseDir: dc.string(p['stage_publish_base_dir']) ?? '',
      HealthTimeout: dc.duration(p['health_timeout']) ?? 0,
    };
  }
  let scheduleValue: Record<string, unknown> | undefined;
  if (schedule !== undefined) {
    const s = dc.content(schedule.body, SCHEMAS.schedule);
    const cron = dc.single(blocksOf(s, 'cron'), 'cron');
    if (cron !== undefined) {
      const ca = dc.content(cron.body, SCHEMAS.scheduleCron).attributes;
      scheduleValue = { Cron: { Start: dc.string(ca['start']) ?? '', End: dc.string(ca['end']) ?? '', Timezone: dc.string(ca['timezone']) ?? '' } };
    }
  }
  const identities = blocksOf(c, 'identity').map((b) => decodeIdentity(dc, b.body));
  // jobspec2 moves the identity named "" or "default" to Task.Identity (pre-1.7 agents read it there).
  const defaultIdx = identities.findIndex((i) => i['Name'] === '' || i['Name'] === 'default');
  const defaultIdentity = defaultIdx >= 0 ? identities.splice(defaultIdx, 1)[0] : undefined;
  const actions = blocksOf(c, 'action').map((b) => {
    const x = dc.content(b.body, SCHEMAS.action).attributes;
    return { Name: b.labels[0] ?? '', Command: dc.string(x['command']) ?? '', Args: dc.stringList(x['args']) ?? null };
  });
  const constraints = blocksOf(c, 'constraint').map((b) => decodeConstraint(dc, b.body));
  const affinities = blocksOf(c, 'affinity').map((b) => decodeAffinity(dc, b.body));
  const services = blocksOf(c, 'service').map((b, i) => decodeService(dc, b, `${path} → service[${i}]`));
  const templates = blocksOf(c, 'template').map((b, i) => decodeTemplate(dc, b, `${path} → template[${i}]`));
  const artifacts = blocksOf(c, 'artifact').map((b, i) => decodeArtifact(dc, b, `${path} → artifact[${i}]`));
  const mounts = blocksOf(c, 'volume_mount').map((b, i) => {
    dc.mark(`${path} → volume_mount[${i}]`, b.defRange);
    return decodeVolumeMount(dc, b.body);
  });
  const scaling = decodeTaskScaling(dc, blocksOf(c, 'scaling'));
  const secrets = blocksOf(c, 'secret').map((b) => decodeSecret(dc, b));
  if (resources !== undefined) dc.mark(`${path} → resources`, resources.defRange);
  if (restart !== undefined) dc.mark(`${path} → restart`, restart.defRange);
  if (logs !== undefined) dc.mark(`${path} → logs`, logs.defRange);
  if (configBlock !== undefined) dc.mark(`${path} → config`, configBlock.defRange);
  if (lifecycle !== undefined) dc.mark(`${path} → lifecycle`, lifecycle.defRange);

  return compact<ApiTask>({
    Name: block.labels[0] ?? '',
    Driver: dc.string(a['driver']) ?? '',
    User: dc.string(a['user']) ?? '',
    Lifecycle: lifecycleValue,
    Config: config,
    Constraints: constraints.length > 0 ? constraints : undefined,
    Affinities: affinities.length > 0 ? affinities : undefined,
    Env: env.value ?? (envBlock === undefined ? undefined : dc.attributeMap(envBlock.body)),
    Services: services.length > 0 ? services : undefined,
    Resources: resources === undefined ? undefined : decodeResources(dc, resources.body, `${path} → resources`),
    RestartPolicy: restart === undefined ? undefined : decodeRestart(dc, restart.body),
    Meta: meta.value ?? (metaBlock === undefined ? undefined : dc.attributeMap(metaBlock.body)),
    KillTimeout: dc.duration(a['kill_timeout']),
    LogConfig: logs === undefined ? undefined : decodeLogs(dc, logs.body),
    Artifacts: artifacts.length > 0 ? artifacts : undefined,
    Vault: vault === undefined ? undefined : decodeVault(dc, vault.body),
    Consul: consul === undefined ? undefined : decodeConsul(dc, consul.body),
    Templates: templates.length > 0 ? templates : undefined,
    DispatchPayload: dispatch === undefined ? undefined : { File: dc.string(dc.content(dispatch.body, SCHEMAS.dispatchPayload).attributes['file']) ?? '' },
    VolumeMounts: mounts.length > 0 ? mounts : undefined,
    CSIPluginConfig: csiValue,
    Leader: dc.bool(a['leader']) ?? false,
    ShutdownDelay: dc.duration(a['shutdown_delay']) ?? 0,
    KillSignal: dc.string(a['kill_signal']) ?? '',
    Kind: dc.string(a['kind']) ?? '',
    ScalingPolicies: scaling.length > 0 ? scaling : undefined,
    Secrets: secrets.length > 0 ? secrets : undefined,
    Identity: defaultIdentity,
    Identities: identities.length > 0 ? identities : undefined,
    Actions: actions.length > 0 ? actions : undefined,
    Schedule: scheduleValue,
  });
}
