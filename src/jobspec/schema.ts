// The jobspec block schemas: which attributes and nested blocks (with their labels) each block
// accepts, from the `hcl:"…"` tags of Nomad's api structs (api/jobs.go, tasks.go, resources.go,
// services.go, consul.go, scaling.go). The decoder reads every body against one of these, so an
// unknown name is reported with a "Did you mean" suggestion drawn from the right list.
import type { BodySchema } from './hcl/index.js';

export interface BlockSchema {
  attrs: readonly string[];
  /** Nested block types and their label names. */
  blocks?: Readonly<Record<string, readonly string[]>>;
  /** Attributes that must be present. */
  required?: readonly string[];
}

const cache = new WeakMap<BlockSchema, BodySchema>();

export function toBodySchema(s: BlockSchema): BodySchema {
  let out = cache.get(s);
  if (out === undefined) {
    const required = new Set(s.required ?? []);
    out = {
      attributes: s.attrs.map((name) => (required.has(name) ? { name, required: true } : { name })),
      blocks: Object.entries(s.blocks ?? {}).map(([type, labelNames]) => ({ type, labelNames: [...labelNames] })),
    };
    cache.set(s, out);
  }
  return out;
}

const CONSTRAINT_SHORTHANDS = ['version', 'semver', 'regexp', 'set_contains', 'set_contains_all', 'set_contains_any'];

export const SCHEMAS = {
  root: { attrs: [], blocks: { variables: [], variable: ['name'], locals: [], job: ['name'] } },
  variable: { attrs: ['description', 'default', 'type', 'sensitive'], blocks: { validation: [] } },
  validation: { attrs: ['condition', 'error_message'], required: ['condition', 'error_message'] },
  job: {
    attrs: ['region', 'namespace', 'id', 'name', 'type', 'priority', 'all_at_once', 'datacenters', 'node_pool'],
    blocks: {
      constraint: [],
      affinity: [],
      group: ['name'],
      update: [],
      multiregion: [],
      spread: [],
      periodic: [],
      parameterized: [],
      reschedule: [],
      migrate: [],
      meta: [],
      ui: [],
      vault: [],
      secret: ['name'],
      task: ['name'],
    },
  },
  group: {
    attrs: ['count', 'shutdown_delay', 'max_run_duration', 'stop_after_client_disconnect', 'max_client_disconnect', 'prevent_reschedule_on_lost'],
    blocks: {
      constraint: [],
      affinity: [],
      task: ['name'],
      spread: [],
      volume: ['name'],
      restart: [],
      disconnect: [],
      reschedule: [],
      ephemeral_disk: [],
      update: [],
      migrate: [],
      network: [],
      meta: [],
      service: [],
      scaling: [],
      consul: [],
      vault: [],
      secret: ['name'],
    },
  },
  task: {
    attrs: ['driver', 'user', 'kill_timeout', 'leader', 'shutdown_delay', 'kill_signal', 'kind'],
    blocks: {
      lifecycle: [],
      config: [],
      constraint: [],
      affinity: [],
      env: [],
      service: [],
      resources: [],
      restart: [],
      meta: [],
      logs: [],
      artifact: [],
      vault: [],
      consul: [],
      template: [],
      dispatch_payload: [],
      volume_mount: [],
      csi_plugin: [],
      scaling: ['name'],
      secret: ['name'],
      identity: [],
      action: ['name'],
      schedule: [],
    },
  },
  constraint: { attrs: ['attribute', 'value', 'operator', 'distinct_property', 'distinct_hosts', 'is_set', 'is_not_set', ...CONSTRAINT_SHORTHANDS] },
  affinity: { attrs: ['attribute', 'value', 'operator', 'weight', ...CONSTRAINT_SHORTHANDS] },
  spread: { attrs: ['attribute', 'weight'], blocks: { target: ['value'] } },
  spreadTarget: { attrs: ['percent'] },
  update: { attrs: ['stagger', 'max_parallel', 'health_check', 'min_healthy_time', 'healthy_deadline', 'progress_deadline', 'canary', 'auto_revert', 'auto_promote'] },
  migrate: { attrs: ['max_parallel', 'health_check', 'min_healthy_time', 'healthy_deadline'] },
  reschedule: { attrs: ['attempts', 'interval', 'delay', 'delay_function', 'max_delay', 'unlimited'] },
  restart: { attrs: ['attempts', 'interval', 'delay', 'mode', 'render_templates'] },
  periodic: { attrs: ['enabled', 'cron', 'crons', 'prohibit_overlap', 'time_zone'] },
  parameterized: { attrs: ['payload', 'meta_required', 'meta_optional'] },
  multiregion: { attrs: [], blocks: { strategy: [], region: ['name'] } },
  multiregionStrategy: { attrs: ['max_parallel', 'on_failure'] },
  multiregionRegion: { attrs: ['count', 'datacenters', 'node_pool'], blocks: { meta: [] } },
  ui: { attrs: ['description'], blocks: { link: [] } },
  uiLink: { attrs: ['label', 'url'] },
  vault: { attrs: ['policies', 'role', 'namespace', 'cluster', 'env', 'disable_file', 'change_mode', 'change_signal', 'allow_token_expiration'] },
  secret: { attrs: ['provider', 'path'], blocks: { config: [], env: [] } },
  consul: { attrs: ['namespace', 'cluster', 'partition'] },
  volume: { attrs: ['type', 'source', 'read_only', 'sticky', 'access_mode', 'attachment_mode', 'per_alloc'], blocks: { mount_options: [] } },
  mountOptions: { attrs: ['fs_type', 'mount_flags'] },
  disconnect: { attrs: ['lost_after', 'stop_on_client_after', 'replace', 'reconcile'] },
  ephemeralDisk: { attrs: ['sticky', 'migrate', 'size'] },
  network: { attrs: ['mode', 'device', 'cidr', 'ip', 'hostname', 'mbits'], blocks: { dns: [], reserved_ports: ['label'], port: ['label'], cni: [] } },
  port: { attrs: ['static', 'to', 'host_network', 'ignore_collision'] },
  dns: { attrs: ['servers', 'searches', 'options'] },
  cni: { attrs: ['args'] },
  service: {
    attrs: ['name', 'tags', 'canary_tags', 'enable_tag_override', 'port', 'address_mode', 'address', 'task', 'on_update', 'provider', 'cluster', 'kind'],
    blocks: { check: [], check_restart: [], connect: [], meta: [], canary_meta: [], tagged_addresses: [], identity: [], weights: [] },
  },
  check: {
    attrs: [
      'name',
      'type',
      'command',
      'args',
      'path',
      'protocol',
      'port',
      'expose',
      'address_mode',
      'advertise',
      'interval',
      'timeout',
      'initial_status',
      'notes',
      'tls_server_name',
      'tls_skip_verify',
      'method',
      'grpc_service',
      'grpc_use_tls',
      'task',
      'success_before_passing',
      'failures_before_critical',
      'failures_before_warning',
      'body',
      'on_update',
    ],
    blocks: { header: [], check_restart: [] },
  },
  checkRestart: { attrs: ['limit', 'grace', 'ignore_warnings'] },
  weights: { attrs: ['passing', 'warning'] },
  identity: { attrs: ['name', 'aud', 'change_mode', 'change_signal', 'env', 'file', 'filepath', 'service_name', 'ttl', 'extra_claims'] },
  lifecycle: { attrs: ['hook', 'sidecar'], required: ['hook'] },
  resources: { attrs: ['cpu', 'cores', 'memory', 'memory_max', 'disk', 'secrets', 'iops'], blocks: { network: [], device: ['name'], numa: [] } },
  device: { attrs: ['count'], blocks: { constraint: [], affinity: [] } },
  numa: { attrs: ['affinity', 'devices'] },
  logs: { attrs: ['max_files', 'max_file_size', 'enabled', 'disabled'] },
  artifact: { attrs: ['source', 'destination', 'mode', 'insecure', 'chown'], blocks: { options: [], headers: [] } },
  template: {
    attrs: ['source', 'destination', 'data', 'change_mode', 'change_signal', 'once', 'splay', 'perms', 'uid', 'gid', 'left_delimiter', 'right_delimiter', 'env', 'vault_grace', 'error_on_missing_key'],
    blocks: { change_script: [], wait: [] },
  },
  changeScript: { attrs: ['command', 'args', 'timeout', 'fail_on_error', 'run_on_first_render'], required: ['command'] },
  wait: { attrs: ['min', 'max'], required: ['min', 'max'] },
  dispatchPayload: { attrs: ['file'] },
  volumeMount: { attrs: ['volume', 'destination', 'read_only', 'propagation_mode', 'selinux_label'] },
  csiPlugin: { attrs: ['id', 'type', 'mount_dir', 'stage_publish_base_dir', 'health_timeout'] },
  scaling: { attrs: ['min', 'max', 'enabled', 'type'], blocks: { policy: [] } },
  action: { attrs: ['command', 'args'], required: ['command'] },
  schedule: { attrs: [], blocks: { cron: [] } },
  scheduleCron: { attrs: ['start', 'end', 'timezone'] },
} as const satisfies Record<string, BlockSchema>;
