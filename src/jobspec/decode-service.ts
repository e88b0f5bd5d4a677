// Decoders for `service` blocks (group and task level), their `check` blocks, check_restart,
// identity and the Consul-only blocks (connect is stored as free-form data, as Roam does not run
// Consul Connect).
import type { CheckRestart } from '../structs/index.js';
import type { Api, ApiCheck, ApiService } from './api-types.js';
import { blocksOf, compact, type DecodeContext } from './decode-context.js';
import { bodyToValue, type Block, type Body } from './hcl/index.js';
import { SCHEMAS } from './schema.js';

function decodeCheckRestart(dc: DecodeContext, body: Body): Api<CheckRestart> {
  const a = dc.content(body, SCHEMAS.checkRestart).attributes;
  return compact<Api<CheckRestart>>({ Limit: dc.int(a['limit']) ?? 0, Grace: dc.duration(a['grace']), IgnoreWarnings: dc.bool(a['ignore_warnings']) ?? false });
}

/** `identity { … }` (task or service): a workload identity, in Nomad's struct field names. */
export function decodeIdentity(dc: DecodeContext, body: Body): Record<string, unknown> {
  const a = dc.content(body, SCHEMAS.identity).attributes;
  return {
    Name: dc.string(a['name']) ?? '',
    Audience: dc.stringList(a['aud']) ?? null,
    ChangeMode: dc.string(a['change_mode']) ?? '',
    ChangeSignal: dc.string(a['change_signal']) ?? '',
    Env: dc.bool(a['env']) ?? false,
    File: dc.bool(a['file']) ?? false,
    Filepath: dc.string(a['filepath']) ?? '',
    ServiceName: dc.string(a['service_name']) ?? '',
    TTL: dc.duration(a['ttl']) ?? 0,
    ExtraClaims: dc.stringList(a['extra_claims']) ?? null,
  };
}

function decodeCheck(dc: DecodeContext, block: Block, path: string): ApiCheck {
  dc.mark(path, block.defRange);
  const c = dc.content(block.body, SCHEMAS.check);
  const a = c.attributes;
  const header = dc.single(blocksOf(c, 'header'), 'header');
  const restart = dc.single(blocksOf(c, 'check_restart'), 'check_restart');
  let headers: Record<string, string[]> | undefined;
  if (header !== undefined) {
    const { attributes, diagnostics } = header.body.justAttributes();
    dc.diags.push(...diagnostics);
    headers = {};
    for (const [k, attr] of Object.entries(attributes)) {
      const v = dc.stringList(attr);
      if (v !== undefined) headers[k] = v;
    }
  }
  return compact<ApiCheck>({
    Name: dc.string(a['name']) ?? '',
    Type: dc.string(a['type']) ?? '',
    Command: dc.string(a['command']) ?? '',
    Args: dc.stringList(a['args']),
    Path: dc.string(a['path']) ?? '',
    Protocol: dc.string(a['protocol']) ?? '',
    PortLabel: dc.string(a['port']) ?? '',
    Expose: dc.bool(a['expose']) ?? false,
    AddressMode: dc.string(a['address_mode']) ?? '',
    Advertise: dc.string(a['advertise']) ?? '',
    Interval: dc.duration(a['interval']) ?? 0,
    Timeout: dc.duration(a['timeout']) ?? 0,
    InitialStatus: dc.string(a['initial_status']) ?? '',
    Notes: dc.string(a['notes']) ?? '',
    TLSServerName: dc.string(a['tls_server_name']) ?? '',
    TLSSkipVerify: dc.bool(a['tls_skip_verify']) ?? false,
    Method: dc.string(a['method']) ?? '',
    Header: headers,
    CheckRestart: restart === undefined ? undefined : decodeCheckRestart(dc, restart.body),
    GRPCService: dc.string(a['grpc_service']) ?? '',
    GRPCUseTLS: dc.bool(a['grpc_use_tls']) ?? false,
    TaskName: dc.string(a['task']) ?? '',
    SuccessBeforePassing: dc.int(a['success_before_passing']) ?? 0,
    FailuresBeforeCritical: dc.int(a['failures_before_critical']) ?? 0,
    FailuresBeforeWarning: dc.int(a['failures_before_warning']) ?? 0,
    Body: dc.string(a['body']) ?? '',
    OnUpdate: dc.string(a['on_update']) ?? '',
  });
}

export function decodeService(dc: DecodeContext, block: Block, path: string): ApiService {
  dc.mark(path, block.defRange);
  const c = dc.content(block.body, SCHEMAS.service);
  const a = c.attributes;
  const map = (type: string): Record<string, string> | undefined => {
    const b = dc.single(blocksOf(c, type), type);
    return b === undefined ? undefined : dc.attributeMap(b.body);
  };
  const restart = dc.single(blocksOf(c, 'check_restart'), 'check_restart');
  const connect = dc.single(blocksOf(c, 'connect'), 'connect');
  const identity = dc.single(blocksOf(c, 'identity'), 'identity');
  const weights = dc.single(blocksOf(c, 'weights'), 'weights');
  let connectValue: Record<string, unknown> | undefined;
  if (connect !== undefined) {
    const r = bodyToValue(connect.body, dc.ctx);
    dc.diags.push(...r.diagnostics);
    connectValue = r.value;
  }
  let weightsValue: ApiService['Weights'];
  if (weights !== undefined) {
    const w = dc.content(weights.body, SCHEMAS.weights).attributes;
    weightsValue = { Passing: dc.int(w['passing']) ?? 0, Warning: dc.int(w['warning']) ?? 0 };
  }
  const checks = blocksOf(c, 'check').map((b, i) => decodeCheck(dc, b, `${path} → check[${i}]`));
  return compact<ApiService>({
    Name: dc.string(a['name']) ?? '',
    Tags: dc.stringList(a['tags']),
    CanaryTags: dc.stringList(a['canary_tags']),
    EnableTagOverride: dc.bool(a['enable_tag_override']) ?? false,
    PortLabel: dc.string(a['port']) ?? '',
    AddressMode: dc.string(a['address_mode']) ?? '',
    Address: dc.string(a['address']) ?? '',
    Checks: checks.length > 0 ? checks : undefined,
    CheckRestart: restart === undefined ? undefined : decodeCheckRestart(dc, restart.body),
    Connect: connectValue,
    Meta: map('meta'),
    CanaryMeta: map('canary_meta'),
    TaggedAddresses: map('tagged_addresses'),
    TaskName: dc.string(a['task']) ?? '',
    OnUpdate: dc.string(a['on_update']) ?? '',
    Identity: identity === undefined ? undefined : decodeIdentity(dc, identity.body),
    Weights: weightsValue,
    Provider: dc.string(a['provider']) ?? '',
    Cluster: dc.string(a['cluster']) ?? '',
    Kind: dc.string(a['kind']),
  });
}
