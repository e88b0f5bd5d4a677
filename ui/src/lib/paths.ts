// The UI's URLs, as Nomad's UI spells them: a job is `/jobs/<url-encoded id>@<namespace>` (IDs of
// periodic and dispatched children contain "/"), so the CLI's "View this job in the Web UI" links
// and bookmarks keep working. Paths here are relative to the router's base (/ui).

export function jobRef(id: string, namespace = 'default'): string {
  return `${encodeURIComponent(id)}@${encodeURIComponent(namespace)}`;
}

/** Splits a `<id>@<namespace>` path segment; the namespace defaults to "default". */
export function parseJobRef(ref: string): { id: string; namespace: string } {
  let raw = ref;
  try {
    raw = decodeURIComponent(ref);
  } catch {
    // keep it as it came
  }
  const at = raw.lastIndexOf('@');
  if (at <= 0) return { id: raw, namespace: 'default' };
  return { id: raw.slice(0, at), namespace: raw.slice(at + 1) || 'default' };
}

export const jobPath = (id: string, namespace = 'default', tab = ''): string => `/jobs/${jobRef(id, namespace)}${tab ? `/${tab}` : ''}`;
/** A task group of a job (Nomad UI's /jobs/<id>@<ns>/<group>). */
export const groupPath = (jobId: string, namespace: string, group: string): string => `${jobPath(jobId, namespace)}/${encodeURIComponent(group)}`;
export const servicePath = (name: string, namespace = 'default'): string => `/services/${encodeURIComponent(name)}@${encodeURIComponent(namespace)}`;
export const allocPath = (id: string, tab = ''): string => `/allocations/${id}${tab ? `/${tab}` : ''}`;
/** An allocation's file browser at a path inside its directory ("alloc/logs"), each segment escaped. */
export const allocFsPath = (id: string, path = ''): string => `/allocations/${id}/fs${path ? `/${path.split('/').filter(Boolean).map(encodeURIComponent).join('/')}` : ''}`;
export const taskPath = (allocId: string, task: string, tab = ''): string => `/allocations/${allocId}/${encodeURIComponent(task)}${tab ? `/${tab}` : ''}`;
export const nodePath = (id: string): string => `/clients/${id}`;
export const evalPath = (id: string): string => `/evaluations?eval=${id}`;
export const varPath = (path: string, namespace = 'default'): string => `/variables/var/${path.split('/').map(encodeURIComponent).join('/')}@${encodeURIComponent(namespace)}`;

/** API path of a job sub-resource: /v1/job/<id>/<sub>?namespace=<ns>. */
export function jobApi(id: string, namespace: string, sub = ''): string {
  return `/v1/job/${encodeURIComponent(id)}${sub ? `/${sub}` : ''}?namespace=${encodeURIComponent(namespace)}`;
}
