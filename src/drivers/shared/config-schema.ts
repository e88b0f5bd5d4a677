// A small schema for driver `config` blocks (Nomad's TaskConfigSchema hclspec, narrowed): what a
// driver accepts, the sentences validateConfig returns, and typed readers that apply the same
// coercions. Values arrive as the jobspec decoder produced them (HCL numbers, strings, lists).
import { parseDuration } from '../../structs/duration.js';
import { isRecord } from '../../structs/assert.js';

export type FieldType = 'string' | 'bool' | 'int' | 'string[]' | 'int[]' | 'duration' | 'map' | 'any';

export interface FieldSpec {
  type: FieldType;
  required?: boolean;
}

export type ConfigSchema = Record<string, FieldSpec>;

const typeNames: Record<FieldType, string> = {
  string: 'a string',
  bool: 'a boolean',
  int: 'an integer',
  'string[]': 'a list of strings',
  'int[]': 'a list of integers',
  duration: 'a duration such as "10s"',
  map: 'a map',
  any: 'a value',
};

function fits(type: FieldType, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean' || v === 'true' || v === 'false' || v === '1' || v === '0';
    case 'int':
      return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v));
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'int[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x));
    case 'duration':
      if (typeof v === 'number') return Number.isFinite(v) && v >= 0;
      if (typeof v !== 'string') return false;
      try {
        parseDuration(v);
        return true;
      } catch {
        return false;
      }
    case 'map':
      return isRecord(v);
    case 'any':
      return true;
  }
}

/** Problems with `config` against `schema`, each a sentence naming the option. */
export function checkConfig(driver: string, config: Record<string, unknown>, schema: ConfigSchema): string[] {
  const errs: string[] = [];
  for (const [key, v] of Object.entries(config)) {
    const spec = schema[key];
    if (!spec) {
      errs.push(`unknown option ${JSON.stringify(key)} in the ${driver} config; known options: ${Object.keys(schema).sort().join(', ')}`);
    } else if (v !== null && v !== undefined && !fits(spec.type, v)) {
      errs.push(`${driver} option ${JSON.stringify(key)} must be ${typeNames[spec.type]}, got ${JSON.stringify(v)}`);
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    const v = config[key];
    if (spec.required && (v === undefined || v === null || v === '')) errs.push(`${driver} option ${JSON.stringify(key)} is required`);
  }
  return errs;
}

// Readers: they assume checkConfig passed, and return undefined for an absent option.
export function readString(c: Record<string, unknown>, key: string): string | undefined {
  const v = c[key];
  return typeof v === 'string' ? v : undefined;
}

export function readBool(c: Record<string, unknown>, key: string): boolean | undefined {
  const v = c[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

export function readInt(c: Record<string, unknown>, key: string): number | undefined {
  const v = c[key];
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

export function readStringList(c: Record<string, unknown>, key: string): string[] | undefined {
  const v = c[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

/** A duration option in milliseconds (strings in Go syntax; bare numbers are nanoseconds, as Nomad's JSON). */
export function readDurationMs(c: Record<string, unknown>, key: string): number | undefined {
  const v = c[key];
  if (typeof v === 'number') return v / 1_000_000;
  if (typeof v === 'string') return parseDuration(v) / 1_000_000;
  return undefined;
}
