// Identifiers: UUIDs as Nomad generates them (random v4, lowercase) and the 8-character short
// form the CLI and the task environment (NOMAD_SHORT_ALLOC_ID) use.
import { randomUUID } from 'node:crypto';

export function generateUUID(): string {
  return randomUUID();
}

/** The first 8 characters of an ID, as `nomad job status` and NOMAD_SHORT_ALLOC_ID show it. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUUID(s: string): boolean {
  return uuidRe.test(s);
}
