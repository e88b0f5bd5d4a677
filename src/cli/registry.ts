// The command tree: which command answers which words, the top-level help (Nomad's layout), and
// the help listing for command groups such as `roam job`.
import type { Command, CommandIO } from './command.js';

/** Groups whose bare name lists their subcommands (`roam job`). */
export const GROUPS: Record<string, string> = {
  job: 'Interact with jobs',
  alloc: 'Interact with allocations',
  node: 'Interact with nodes',
  eval: 'Interact with evaluations',
  server: 'Interact with servers',
  system: 'Interact with the system API',
  operator: 'Provides cluster-level tools for Roam operators',
  var: 'Interact with variables',
  service: 'Interact with registered services',
  deployment: 'Interact with deployments',
  namespace: 'Interact with namespaces',
};

const COMMON = ['run', 'stop', 'status', 'alloc', 'job', 'node', 'agent'];

export class Registry {
  private readonly commands = new Map<string, Command>();

  add(...cmds: Command[]): this {
    for (const c of cmds) this.commands.set(c.name, c);
    return this;
  }

  get(name: string): Command | undefined {
    return this.commands.get(name);
  }

  /** The longest command name matching the start of argv, and the remaining arguments. */
  resolve(argv: string[]): { command?: Command; group?: string; rest: string[]; words: string[] } {
    for (let n = Math.min(argv.length, 4); n > 0; n--) {
      const words = argv.slice(0, n);
      const cmd = this.commands.get(words.join(' '));
      if (cmd) return { command: cmd, rest: argv.slice(n), words };
    }
    const first = argv[0];
    if (first !== undefined && (GROUPS[first] !== undefined || this.subcommands(first).length)) return { group: first, rest: argv.slice(1), words: [first] };
    return { rest: argv, words: [] };
  }

  subcommands(group: string): Command[] {
    return [...this.commands.values()].filter((c) => c.name.startsWith(`${group} `) && c.name.split(' ').length === group.split(' ').length + 1).sort((a, b) => a.name.localeCompare(b.name));
  }

  topLevel(): { name: string; synopsis: string }[] {
    const names = new Map<string, string>();
    for (const c of this.commands.values()) if (!c.name.includes(' ')) names.set(c.name, c.synopsis);
    for (const [g, s] of Object.entries(GROUPS)) if (!names.has(g) && this.subcommands(g).length) names.set(g, s);
    return [...names].map(([name, synopsis]) => ({ name, synopsis })).sort((a, b) => a.name.localeCompare(b.name));
  }

  usage(): string {
    const all = this.topLevel();
    const common = COMMON.map((n) => all.find((c) => c.name === n)).filter((c): c is { name: string; synopsis: string } => c !== undefined);
    const other = all.filter((c) => !COMMON.includes(c.name));
    const w = Math.max(...all.map((c) => c.name.length)) + 4;
    const line = (c: { name: string; synopsis: string }): string => `    ${c.name.padEnd(w)}${c.synopsis}`;
    return `Usage: roam [-version] [-help] <command> [args]\n\nCommon commands:\n${common.map(line).join('\n')}\n\nOther commands:\n${other.map(line).join('\n')}\n`;
  }

  groupUsage(group: string): string {
    const subs = this.subcommands(group);
    const w = Math.max(0, ...subs.map((c) => c.name.length - group.length - 1)) + 4;
    return `Usage: roam ${group} <subcommand> [options] [args]\n\n  ${GROUPS[group] ?? ''}.\n\nSubcommands:\n${subs.map((c) => `    ${c.name.slice(group.length + 1).padEnd(w)}${c.synopsis}`).join('\n')}\n`;
  }

  async run(argv: string[], io: CommandIO): Promise<number> {
    if (argv.length === 0 || argv[0] === '-h' || argv[0] === '-help' || argv[0] === '--help') {
      io.out(this.usage());
      return 0;
    }
    if (argv[0] === '-version' || argv[0] === '--version' || argv[0] === '-v') argv = ['version'];
    const r = this.resolve(argv);
    if (r.command) return r.command.run(r.rest, io);
    if (r.group !== undefined) {
      const next = r.rest[0];
      if (next === undefined || next === '-h' || next === '-help' || next === '--help') {
        io.out(this.groupUsage(r.group));
        return 0;
      }
      io.err(`Unknown command: roam ${r.group} ${next}\n\n${this.groupUsage(r.group)}`);
      return 1;
    }
    io.err(`Unknown command: ${JSON.stringify(argv[0])}. Run "roam" to see the commands.\n`);
    return 1;
  }
}
