// A Go `flag`-compatible parser, because Nomad users type Go-style flags: single-dash long names
// (`-detach`, `-var=k=v`, `-address URL`), `--name` as a synonym, booleans as `-flag` or
// `-flag=false`, and parsing that stops at the first positional argument or at `--`. Error
// messages use Go's wording ("flag provided but not defined: -foo") so scripts see what they expect.
import { parseDuration } from '../structs/duration.js';
import { parseGoBool } from '../structs/strconv.js';

export type FlagKind = 'bool' | 'string' | 'int' | 'duration' | 'list';

interface FlagDef {
  name: string;
  kind: FlagKind;
  usage: string;
  /** Shown in help, e.g. `-address=<addr>`. */
  placeholder: string;
  default: unknown;
  aliases: string[];
}

export class FlagError extends Error {}

/** Thrown when the user asked for help (-h, -help, --help). */
export class HelpRequested extends Error {
  constructor() {
    super('help requested');
  }
}

export interface ParsedFlags {
  /** Arguments after the flags. */
  args: string[];
  /** Names of flags the user set explicitly. */
  set: Set<string>;
}

export class FlagSet {
  private readonly defs = new Map<string, FlagDef>();
  private readonly values = new Map<string, unknown>();
  private readonly order: FlagDef[] = [];

  constructor(readonly name: string) {}

  private define(name: string, kind: FlagKind, def: unknown, usage: string, placeholder = '', aliases: string[] = []): void {
    const d: FlagDef = { name, kind, usage, placeholder, default: def, aliases };
    for (const n of [name, ...aliases]) {
      if (this.defs.has(n)) throw new Error(`flag redefined: ${n}`);
      this.defs.set(n, d);
    }
    this.order.push(d);
    this.values.set(name, Array.isArray(def) ? [...(def as unknown[])] : def);
  }

  bool(name: string, def: boolean, usage: string, aliases: string[] = []): void {
    this.define(name, 'bool', def, usage, '', aliases);
  }
  string(name: string, def: string, usage: string, placeholder = '<value>', aliases: string[] = []): void {
    this.define(name, 'string', def, usage, placeholder, aliases);
  }
  int(name: string, def: number, usage: string, placeholder = '<n>'): void {
    this.define(name, 'int', def, usage, placeholder);
  }
  /** A duration in Go syntax ("10s"); stored in nanoseconds. */
  duration(name: string, defNanos: number, usage: string, placeholder = '<duration>'): void {
    this.define(name, 'duration', defNanos, usage, placeholder);
  }
  /** A flag that may be given many times (`-var a=1 -var b=2`). */
  list(name: string, usage: string, placeholder = '<value>'): void {
    this.define(name, 'list', [], usage, placeholder);
  }

  getBool(name: string): boolean {
    return this.values.get(name) === true;
  }
  getString(name: string): string {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : '';
  }
  getInt(name: string): number {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : 0;
  }
  getDuration(name: string): number {
    return this.getInt(name);
  }
  getList(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? (v as string[]) : [];
  }
  has(name: string): boolean {
    return this.defs.has(name);
  }

  parse(argv: string[]): ParsedFlags {
    const set = new Set<string>();
    let i = 0;
    while (i < argv.length) {
      const arg = argv[i] ?? '';
      if (arg === '--') {
        i++;
        break;
      }
      if (arg.length < 2 || arg[0] !== '-') break; // first positional ends the flags, as in Go
      let body = arg.slice(arg[1] === '-' ? 2 : 1);
      if (body === '' || body[0] === '-' || body[0] === '=') throw new FlagError(`bad flag syntax: ${arg}`);
      let value: string | undefined;
      const eq = body.indexOf('=');
      if (eq >= 0) {
        value = body.slice(eq + 1);
        body = body.slice(0, eq);
      }
      i++;
      if (body === 'h' || body === 'help') {
        if (!this.defs.has(body)) throw new HelpRequested();
      }
      const def = this.defs.get(body);
      if (!def) throw new FlagError(`flag provided but not defined: -${body}`);
      if (def.kind === 'bool') {
        if (value === undefined) this.values.set(def.name, true);
        else {
          const b = parseGoBool(value);
          if (b === undefined) throw new FlagError(`invalid boolean value ${JSON.stringify(value)} for -${body}: parse error`);
          this.values.set(def.name, b);
        }
      } else {
        if (value === undefined) {
          if (i >= argv.length) throw new FlagError(`flag needs an argument: -${body}`);
          value = argv[i] ?? '';
          i++;
        }
        this.assign(def, body, value);
      }
      set.add(def.name);
    }
    return { args: argv.slice(i), set };
  }

  private assign(def: FlagDef, used: string, value: string): void {
    switch (def.kind) {
      case 'string':
        this.values.set(def.name, value);
        return;
      case 'int': {
        if (!/^[+-]?\d+$/.test(value.trim())) throw new FlagError(`invalid value ${JSON.stringify(value)} for flag -${used}: parse error`);
        this.values.set(def.name, Number(value));
        return;
      }
      case 'duration': {
        try {
          this.values.set(def.name, parseDuration(value));
        } catch (err) {
          throw new FlagError(`invalid value ${JSON.stringify(value)} for flag -${used}: ${(err as Error).message}`);
        }
        return;
      }
      case 'list':
        (this.values.get(def.name) as string[]).push(value);
        return;
      case 'bool':
        return;
    }
  }

  /** Help text for the flags, in Nomad's layout (two-space indent, usage wrapped under the flag). */
  usage(): string {
    return this.order
      .map((d) => {
        const head = d.kind === 'bool' ? `-${d.name}` : `-${d.name}=${d.placeholder}`;
        return `  ${head}\n    ${d.usage.replace(/\n/g, '\n    ')}`;
      })
      .join('\n\n');
  }
}

/** Splits `k=v` (as in `-var k=v` and `-meta k=v`); the value may contain `=`. */
export function splitKeyValue(s: string, flagName: string): [string, string] {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new FlagError(`invalid value ${JSON.stringify(s)} for flag -${flagName}: expected KEY=VALUE`);
  return [s.slice(0, eq), s.slice(eq + 1)];
}
