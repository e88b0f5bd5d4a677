// jobWarnings: what `job run`/`job validate` print under "Job Warnings:" for a canonical job —
// Nomad's deprecation warning for the periodic `cron` attribute, and Roam's notice for blocks it
// stores faithfully but does not act on yet (vault, consul, non-default identities, csi_plugin,
// connect, multiregion), so nobody mistakes "accepted" for "working".
import type { Job } from '../structs/index.js';

export const CRON_DEPRECATION = 'cron is deprecated and may be removed in a future release. Use crons instead';

export function jobWarnings(job: Job): string[] {
  const out: string[] = [];
  if (job.Periodic !== null && job.Periodic.Spec !== '') out.push(CRON_DEPRECATION);
  const unsupported = (what: string, where: string): void => {
    out.push(`${where}: Roam stores the ${what} block but does not act on it yet`);
  };
  if (job.Multiregion !== null) unsupported('multiregion', 'job');
  for (const g of job.TaskGroups) {
    const gp = `group ${JSON.stringify(g.Name)}`;
    if (g.Consul !== null) unsupported('consul', gp);
    for (const s of g.Services ?? []) if (s.Connect !== null) unsupported('connect', `${gp} → service ${JSON.stringify(s.Name)}`);
    for (const t of g.Tasks) {
      const tp = `${gp} → task ${JSON.stringify(t.Name)}`;
      if (t.Vault !== null) unsupported('vault', tp);
      if (t.Consul !== null) unsupported('consul', tp);
      if (t.CSIPluginConfig !== null) unsupported('csi_plugin', tp);
      if ((t.Identities ?? []).length > 0) unsupported('identity', tp);
      for (const s of t.Services ?? []) if (s.Connect !== null) unsupported('connect', `${tp} → service ${JSON.stringify(s.Name)}`);
    }
  }
  return out;
}
