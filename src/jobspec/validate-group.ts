// Validation of one task group and its tasks: count, restart/reschedule/update/migrate policies,
// networks and port labels, services and checks (with the nomad provider's restrictions), volumes,
// templates, artifacts, lifecycle hooks, resources minimums and log storage. Nomad's messages.
import { formatDuration } from '../structs/duration.js';
import { MAX_VALID_PORT, RESCHEDULE_DELAY_FUNCTIONS, type Job, type NetworkResource, type Service, type ServiceCheck, type Task, type TaskGroup } from '../structs/index.js';
import { affinityErrors, spreadErrors, type Report } from './validate-common.js';

const SECOND = 1_000_000_000;
const d = formatDuration;

function validateRestart(g: TaskGroup, path: string, report: Report): void {
  const r = g.RestartPolicy;
  const p = `${path} → restart`;
  if (r.Mode !== 'delay' && r.Mode !== 'fail') report(p, `Unsupported restart mode: "${r.Mode}"`);
  if (r.Attempts === 0 && r.Mode !== 'fail') report(p, `Restart policy "${r.Mode}" with ${r.Attempts} attempts is ambiguous`);
  if (r.Interval.valueOf() < 5 * SECOND) report(p, `Interval can not be less than 5s (got ${d(r.Interval)})`);
  if (r.Attempts * r.Delay > r.Interval) report(p, `Nomad can't restart the TaskGroup ${r.Attempts} times in an interval of ${d(r.Interval)} with a delay of ${d(r.Delay)}`);
}

function validateReschedule(g: TaskGroup, path: string, report: Report): void {
  const r = g.ReschedulePolicy;
  if (r === null || (r.Attempts === 0 && !r.Unlimited)) return;
  const p = `${path} → reschedule`;
  if (!(RESCHEDULE_DELAY_FUNCTIONS as readonly string[]).includes(r.DelayFunction)) {
    report(p, `Invalid delay function "${r.DelayFunction}", must be one of ${JSON.stringify(RESCHEDULE_DELAY_FUNCTIONS)}`);
  }
  if (r.Delay < 5 * SECOND) report(p, `Delay cannot be less than 5s (got ${d(r.Delay)})`);
  if (r.DelayFunction !== 'constant' && r.MaxDelay < r.Delay) report(p, `Max Delay cannot be less than Delay ${d(r.Delay)} (got ${d(r.MaxDelay)})`);
  if (!r.Unlimited) {
    if (r.Interval < 15 * SECOND) report(p, `Interval cannot be less than 15s (got ${d(r.Interval)})`);
    if (r.Attempts < 0) report(p, `Attempts cannot be negative (got ${r.Attempts})`);
  }
}

function validateUpdate(job: Job, g: TaskGroup, path: string, report: Report): void {
  const u = g.Update;
  if (u === null || u.MaxParallel === 0) return;
  const p = `${path} → update`;
  if (job.Type === 'batch' || job.Type === 'sysbatch') report(p, `Job type "${job.Type}" does not allow update block`);
  if (!['checks', 'task_states', 'manual'].includes(u.HealthCheck)) report(p, `Invalid health check given: "${u.HealthCheck}"`);
  if (u.MaxParallel < 0) report(p, `Max parallel can not be less than zero: ${u.MaxParallel} < 0`);
  if (u.Canary < 0) report(p, `Canary count can not be less than zero: ${u.Canary} < 0`);
  if (u.Canary > 0 && job.Type === 'system') report(p, 'System jobs should not have a canary count');
  if (u.AutoPromote && u.Canary === 0) report(p, 'Auto Promote requires a Canary count greater than zero');
  if (u.MinHealthyTime < 0) report(p, `Minimum healthy time may not be less than zero: ${d(u.MinHealthyTime)}`);
  if (u.HealthyDeadline <= 0) report(p, `Healthy deadline must be greater than zero: ${d(u.HealthyDeadline)}`);
  if (u.ProgressDeadline < 0) report(p, `Progress deadline must be zero or greater: ${d(u.ProgressDeadline)}`);
  if (u.MinHealthyTime >= u.HealthyDeadline) report(p, `Minimum healthy time must be less than healthy deadline: ${d(u.MinHealthyTime)} > ${d(u.HealthyDeadline)}`);
  if (u.ProgressDeadline !== 0 && u.HealthyDeadline >= u.ProgressDeadline) report(p, `Healthy deadline must be less than progress deadline: ${d(u.HealthyDeadline)} > ${d(u.ProgressDeadline)}`);
  if (u.Stagger <= 0) report(p, `Stagger must be greater than zero: ${d(u.Stagger)}`);
}

function validateMigrate(job: Job, g: TaskGroup, path: string, report: Report): void {
  const m = g.Migrate;
  if (m === null) return;
  const p = `${path} → migrate`;
  if (job.Type !== 'service') report(p, `Job type "${job.Type}" does not allow migrate block`);
  if (m.MaxParallel < 0) report(p, `MaxParallel must be >= 0 but found ${m.MaxParallel}`);
  if (m.HealthCheck !== 'checks' && m.HealthCheck !== 'task_states') report(p, `Invalid health check "${m.HealthCheck}"; must be "checks" or "task_states"`);
  if (m.MinHealthyTime >= m.HealthyDeadline) report(p, `MinHealthyTime must be less than HealthyDeadline: ${d(m.MinHealthyTime)} >= ${d(m.HealthyDeadline)}`);
}

/** Port labels of the group's and the tasks' networks, with duplicate and range checks. */
function validatePorts(networks: { nets: NetworkResource[]; path: string }[], report: Report): Set<string> {
  const labels = new Set<string>();
  const statics = new Map<string, string>();
  for (const { nets, path } of networks) {
    nets.forEach((n, i) => {
      const p = `${path} → network[${i}]`;
      for (const port of [...(n.ReservedPorts ?? []), ...(n.DynamicPorts ?? [])]) {
        if (labels.has(port.Label)) report(p, `Port label ${port.Label} already in use`);
        labels.add(port.Label);
        if (port.Value < 0 || port.Value > MAX_VALID_PORT) report(p, `Port ${port.Label} (${port.Value}) cannot be greater than ${MAX_VALID_PORT}`);
        if (port.To < -1) report(p, `Port "${port.Label}" cannot be mapped to negative value ${port.To}`);
        if (port.To > MAX_VALID_PORT) report(p, `Port "${port.Label}" cannot be mapped to a port (${port.To}) greater than ${MAX_VALID_PORT}`);
        if (port.Value > 0) {
          const key = `${port.HostNetwork}:${port.Value}`;
          const owner = statics.get(key);
          if (owner !== undefined) report(p, `Static port ${port.Value} already reserved by ${owner}`);
          statics.set(key, port.Label);
        }
        if (port.IgnoreCollision === true && n.Mode !== '' && n.Mode !== 'host') report(p, `Port "${port.Label}" cannot use ignore_collision outside of host network mode`);
      }
    });
  }
  return labels;
}

function portKnown(label: string, labels: Set<string>): boolean {
  return label === '' || labels.has(label) || /^\d+$/.test(label);
}

function validateService(s: Service, path: string, labels: Set<string>, report: Report): void {
  if (s.Provider !== 'consul' && s.Provider !== 'nomad') report(path, `Service provider must be one of "consul" or "nomad"; got "${s.Provider}"`);
  if (!['auto', 'host', 'driver', 'alloc'].includes(s.AddressMode)) report(path, `Service address_mode must be "alloc", "auto", "driver" or "host"; got "${s.AddressMode}"`);
  if (!['require_healthy', 'ignore_warnings', 'ignore'].includes(s.OnUpdate)) report(path, `Service on_update must be "require_healthy", "ignore_warnings" or "ignore"; got "${s.OnUpdate}"`);
  if (!/^[a-zA-Z0-9\-.${}_]+$/.test(s.Name) || s.Name.length > 63) {
    report(path, `Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and must be no longer than 63 characters: "${s.Name}"`);
  }
  if (!portKnown(s.PortLabel, labels)) report(path, `Service "${s.Name}" uses port label "${s.PortLabel}", which is not defined in any network block of the group or task`);
  const nomad = s.Provider === 'nomad';
  if (nomad && s.Connect !== null) report(path, 'Service with provider nomad cannot include Connect blocks');
  (s.Checks ?? []).forEach((c, i) => {
    const p = `${path} → check[${i}]`;
    if (!portKnown(c.PortLabel, labels)) report(p, `Check "${c.Name}" uses port label "${c.PortLabel}", which is not defined in any network block of the group or task`);
    const err = checkError(s, c, nomad);
    if (err !== undefined) report(p, err);
  });
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'];

/** Nomad's per-check validation (Service.validateCheckPort, then ServiceCheck.validateNomad / validateConsul): the first problem only. */
function checkError(s: Service, c: ServiceCheck, nomad: boolean): string | undefined {
  const type = c.Type.toLowerCase();
  if (s.PortLabel === '' && c.PortLabel === '' && ['http', 'tcp', 'grpc'].includes(type)) return `Check ${c.Name} invalid: check requires a port but neither check nor service ${JSON.stringify(s.Name)} have a port`;
  const common = commonCheckError(c, nomad ? ['tcp', 'http'] : ['grpc', 'tcp', 'http', 'script']);
  if (!nomad) {
    const err = common ?? consulCheckError(c, type);
    return err === undefined ? undefined : `Check ${c.Name} invalid: ${err}`;
  }
  if (common !== undefined) return common;
  if (c.Expose) return 'expose may only be set for Consul service checks';
  if (c.OnUpdate === 'ignore_warnings') return 'on_update may only be set to ignore_warnings for Consul service checks';
  if (c.CheckRestart?.IgnoreWarnings === true) return 'ignore_warnings on check_restart only supported for Consul service checks';
  if (c.AddressMode === 'driver') return 'address_mode = driver may only be set for Consul service checks';
  if (type === 'http' && c.Method !== '' && !HTTP_METHODS.includes(c.Method)) return `method type ${JSON.stringify(c.Method)} not supported in Nomad http check`;
  if (c.SuccessBeforePassing !== 0) return 'success_before_passing may only be set for Consul service checks';
  if (c.FailuresBeforeCritical !== 0) return 'failures_before_critical may only be set for Consul service checks';
  if (c.FailuresBeforeWarning !== 0) return 'failures_before_warning may only be set for Consul service checks';
  if (c.TLSServerName !== '') return 'tls_server_name may only be set for Consul service checks';
  return undefined;
}

/** Nomad's ServiceCheck.validateCommon. */
function commonCheckError(c: ServiceCheck, allowed: string[]): string | undefined {
  const type = c.Type.toLowerCase();
  if (!allowed.includes(type)) return `invalid check type (${JSON.stringify(type)}), must be one of ${allowed.join(', ')}`;
  if (type === 'http') {
    if (c.Path === '') return 'http type must have http path';
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(c.Path)) return 'http type must have relative http path';
  }
  if (type === 'script' && c.Command === '') return 'script type must have a valid script path';
  if (c.Interval === 0) return 'missing required value interval. Interval cannot be less than 1s';
  if (c.Interval < SECOND) return `interval (${d(c.Interval)}) cannot be lower than 1s`;
  if (c.Timeout === 0) return 'missing required value timeout. Timeout cannot be less than 1s';
  if (c.Timeout < SECOND) return `timeout (${d(c.Timeout)}) is lower than required minimum timeout 1s`;
  if (!['', 'passing', 'warning', 'critical'].includes(c.InitialStatus)) return `invalid initial check state (${c.InitialStatus}), must be one of "passing", "warning", "critical" or empty`;
  if (c.AddressMode === 'auto') return 'invalid address_mode "auto" - auto only valid for services';
  if (!['', 'host', 'driver', 'alloc', 'alloc_ipv6'].includes(c.AddressMode)) return `invalid address_mode ${JSON.stringify(c.AddressMode)}`;
  if (!['', 'ignore', 'require_healthy', 'ignore_warnings'].includes(c.OnUpdate)) return `on_update must be "require_healthy", "ignore_warnings", or "ignore"; got ${JSON.stringify(c.OnUpdate)}`;
  const cr = c.CheckRestart;
  if (cr !== null) {
    if (c.OnUpdate === 'ignore') return 'on_update value "ignore" is not compatible with check_restart';
    if (!cr.IgnoreWarnings && c.OnUpdate === 'ignore_warnings') return 'on_update value "ignore_warnings" not supported with check_restart ignore_warnings value "false"';
    if (cr.Limit < 0) return `limit must be greater than or equal to 0 but found ${cr.Limit}`;
    if (cr.Grace < 0) return `grace period must be greater than or equal to 0 but found ${cr.Grace}`;
  }
  return undefined;
}

/** Nomad's ServiceCheck.validateConsul, after validateCommon. */
function consulCheckError(c: ServiceCheck, type: string): string | undefined {
  if (c.Expose && type !== 'grpc' && type !== 'http') return 'expose may only be set on HTTP or gRPC checks';
  const passFail = ['tcp', 'http', 'grpc'];
  for (const [field, v] of [['success_before_passing', c.SuccessBeforePassing], ['failures_before_critical', c.FailuresBeforeCritical], ['failures_before_warning', c.FailuresBeforeWarning]] as const) {
    if (v < 0) return `${field} must be non-negative`;
    if (v > 0 && !passFail.includes(c.Type)) return `${field} not supported for check of type ${JSON.stringify(c.Type)}`;
  }
  if (c.Notes.length > 255) return 'notes must not be longer than 255 characters';
  return undefined;
}

const CHANGE_MODES = ['restart', 'noop', 'signal', 'script'];

function validateTask(g: TaskGroup, t: Task, path: string, labels: Set<string>, report: Report): void {
  if (t.Name === '') report(path, 'Missing task name');
  if (t.Name === 'alloc') report(path, 'Task cannot be named "alloc"');
  if (/[/\\]/.test(t.Name)) report(path, 'Task name cannot include slashes');
  if (t.Name.includes('\0')) report(path, 'Task name cannot include null characters');
  if (t.Driver === '') report(path, 'Missing task driver');
  if (t.KillTimeout < 0) report(path, 'KillTimeout must be a positive value');
  if (t.ShutdownDelay < 0) report(path, 'ShutdownDelay must be a positive value');
  const r = t.Resources;
  const rp = `${path} → resources`;
  if (r.Cores === 0 && r.CPU < 1) report(rp, `minimum CPU value is 1; got ${r.CPU}`);
  if (r.Cores < 0) report(rp, `cores must be a positive value; got ${r.Cores}`);
  if (r.Cores > 0 && r.CPU > 0) report(rp, 'Task can only ask for "cpu" or "cores" resource, not both.');
  if (r.MemoryMB < 10) report(rp, `minimum MemoryMB value is 10; got ${r.MemoryMB}`);
  if (r.MemoryMaxMB !== 0 && r.MemoryMaxMB < r.MemoryMB) report(rp, `MemoryMaxMB value (${r.MemoryMaxMB}) should be larger than MemoryMB value (${r.MemoryMB})`);
  const lp = `${path} → logs`;
  if (t.LogConfig.MaxFiles < 1) report(lp, `minimum number of files is 1; got ${t.LogConfig.MaxFiles}`);
  if (t.LogConfig.MaxFileSizeMB < 1) report(lp, `minimum file size is 1MB; got ${t.LogConfig.MaxFileSizeMB}`);
  const logMB = t.LogConfig.MaxFiles * t.LogConfig.MaxFileSizeMB;
  if (!t.LogConfig.Disabled && logMB >= g.EphemeralDisk.SizeMB) report(lp, `log storage (${logMB} MB) must be less than requested disk capacity (${g.EphemeralDisk.SizeMB} MB)`);
  if (t.Lifecycle !== null && !['prestart', 'poststart', 'poststop'].includes(t.Lifecycle.Hook)) report(`${path} → lifecycle`, `invalid hook: ${t.Lifecycle.Hook}`);
  for (const a of t.Affinities ?? []) affinityErrors(a.Weight, a.Operand).forEach((m) => report(path, m));
  (t.Templates ?? []).forEach((tmpl, i) => {
    const p = `${path} → template[${i}]`;
    if (tmpl.SourcePath === '' && tmpl.EmbeddedTmpl === '') report(p, 'Must specify a source path or have an embedded template');
    if (tmpl.DestPath === '') report(p, 'Must specify a destination for the template');
    if (!CHANGE_MODES.includes(tmpl.ChangeMode)) report(p, `Invalid change mode "${tmpl.ChangeMode}"; must be one of ${CHANGE_MODES.map((m) => `"${m}"`).join(', ')}`);
    if (tmpl.ChangeMode === 'signal' && tmpl.ChangeSignal === '') report(p, 'Must specify signal value when change mode is signal');
    if (tmpl.ChangeMode === 'signal' && tmpl.Envvars) report(p, 'cannot use signals with env var templates');
    if (tmpl.ChangeMode === 'script' && (tmpl.ChangeScript === null || tmpl.ChangeScript.Command === '')) report(p, 'must specify change script configuration value when change mode is script');
    if (tmpl.Splay < 0) report(p, 'Must specify positive splay value');
    if (!/^[0-7]{1,4}$/.test(tmpl.Perms)) report(p, `Failed to parse "${tmpl.Perms}" as octal`);
    if (tmpl.Wait !== null && tmpl.Wait.Min !== null && tmpl.Wait.Max !== null && tmpl.Wait.Min > tmpl.Wait.Max) report(p, `wait min ${d(tmpl.Wait.Min)} is greater than max ${d(tmpl.Wait.Max)}`);
    if (escapes(tmpl.DestPath)) report(p, `destination escapes allocation directory: "${tmpl.DestPath}"`);
  });
  (t.Artifacts ?? []).forEach((a, i) => {
    const p = `${path} → artifact[${i}]`;
    if (a.GetterSource === '') report(p, 'source must be specified');
    if (!['any', 'file', 'dir'].includes(a.GetterMode)) report(p, `invalid artifact mode "${a.GetterMode}"; must be one of: any, file, dir`);
    if (escapes(a.RelativeDest)) report(p, `destination escapes allocation directory: "${a.RelativeDest}"`);
  });
  (t.Services ?? []).forEach((s, i) => validateService(s, `${path} → service[${i}]`, labels, report));
  (t.VolumeMounts ?? []).forEach((m, i) => {
    if (g.Volumes === null || g.Volumes[m.Volume] === undefined) report(`${path} → volume_mount[${i}]`, `Volume Mount (${i}) references undefined volume ${m.Volume}`);
  });
  // Drivers that publish ports (docker, podman…) name them in config.ports.
  const ports = t.Config?.['ports'];
  if (Array.isArray(ports)) {
    for (const label of ports) {
      if (typeof label === 'string' && !labels.has(label)) report(`${path} → config`, `Port label "${label}" in the driver's ports is not defined in any network block of the group`);
    }
  }
}

function escapes(p: string): boolean {
  if (p.startsWith('/')) return false; // absolute paths are inside the task dir (Nomad joins them)
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '..') {
      if (parts.length === 0) return true;
      parts.pop();
    } else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return false;
}

export function validateGroup(job: Job, g: TaskGroup, path: string, report: Report): void {
  if (g.Name === '') report(path, 'Missing task group name');
  else if (/[/\\]/.test(g.Name) || g.Name.includes('\0')) report(path, 'Task group name cannot include slashes or null characters');
  if (g.Count < 0) report(path, "Task group count can't be negative");
  if (g.Tasks.length === 0) report(path, 'Missing tasks for task group');
  if (g.Scaling !== null) {
    const s = g.Scaling;
    if (s.Max < 0) report(`${path} → scaling`, 'Scaling policy invalid: maximum count must not be less than zero');
    if (s.Min < 0) report(`${path} → scaling`, 'Scaling policy invalid: minimum count must not be less than zero');
    if (s.Max >= 0 && s.Min > s.Max) report(`${path} → scaling`, `Scaling policy invalid: maximum count must not be less than minimum count`);
    if (g.Count < s.Min || (s.Max >= 0 && g.Count > s.Max)) report(`${path} → scaling`, `Scaling policy invalid: task group count must be between minimum and maximum count`);
  }
  if (g.EphemeralDisk.SizeMB <= 0) report(`${path} → ephemeral_disk`, `Minimum DiskMB value is 10; got ${g.EphemeralDisk.SizeMB}`);
  validateRestart(g, path, report);
  validateReschedule(g, path, report);
  validateUpdate(job, g, path, report);
  validateMigrate(job, g, path, report);
  if ((g.Networks ?? []).length > 1) report(path, 'Only one network resource is allowed');
  for (const a of g.Affinities ?? []) affinityErrors(a.Weight, a.Operand).forEach((m) => report(path, m));
  for (const s of g.Spreads ?? []) spreadErrors(s.Weight, s.SpreadTarget).forEach((m) => report(path, m));

  const nets = [{ nets: g.Networks ?? [], path }, ...g.Tasks.map((t) => ({ nets: t.Resources.Networks ?? [], path: `${path} → task ${JSON.stringify(t.Name)} → resources` }))];
  const labels = validatePorts(nets, report);

  const serviceKeys = new Set<string>();
  const providers = new Set<string>();
  const services: [Service, string][] = [
    ...(g.Services ?? []).map((s, i): [Service, string] => [s, `${path} → service[${i}]`]),
    ...g.Tasks.flatMap((t) => (t.Services ?? []).map((s, i): [Service, string] => [s, `${path} → task ${JSON.stringify(t.Name)} → service[${i}]`])),
  ];
  for (const [s, p] of services) {
    const key = `${s.Name}/${s.PortLabel}`;
    if (serviceKeys.has(key)) report(p, `Service ${s.Name} is duplicate`);
    serviceKeys.add(key);
    providers.add(s.Provider);
  }
  if (providers.size > 1) report(path, 'Multiple service providers used: task group services must use the same provider');
  (g.Services ?? []).forEach((s, i) => {
    const p = `${path} → service[${i}]`;
    validateService(s, p, labels, report);
    for (const c of s.Checks ?? []) {
      if (c.TaskName !== '' && !g.Tasks.some((t) => t.Name === c.TaskName)) report(p, `Check ${c.Name} invalid: refers to non-existent task ${c.TaskName}`);
    }
  });

  const taskNames = new Map<string, number>();
  let leaders = 0;
  g.Tasks.forEach((t, i) => {
    const tp = `${path} → task ${JSON.stringify(t.Name)}`;
    const prev = taskNames.get(t.Name);
    if (prev !== undefined) report(tp, `Task ${i + 1} redefines '${t.Name}' from task ${prev + 1}`);
    else taskNames.set(t.Name, i);
    if (t.Leader) leaders++;
    validateTask(g, t, tp, labels, report);
  });
  if (leaders > 1) report(path, 'Only one task may be marked as leader');
}
