// `roam ui [-show-url] [-authenticate] [<job | alloc | node ID or prefix>]`: the web UI's address,
// opened in the default browser (Nomad's command/ui.go). An identifier is resolved with a prefix
// search over jobs, allocations and nodes and becomes that object's page (/ui/jobs/<id>@<ns>,
// /ui/allocations/<id>, /ui/clients/<id>). The browser is opened with xdg-open; without one, or
// without a display to open it on, the URL is printed as -show-url prints it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../api/index.js';
import { CommandError, defineCommand, UsageError, type CommandIO } from '../command.js';

/** Search contexts the UI has pages for, in Nomad's order. */
const UI_CONTEXTS = ['jobs', 'allocs', 'nodes'] as const;
type UiContext = (typeof UI_CONTEXTS)[number];

const TITLES: Record<UiContext, string> = { jobs: 'Jobs', allocs: 'Allocs', nodes: 'Nodes' };

/**
 * Which object an identifier names, as Nomad picks it: a context with exactly one match, or whose
 * first match is the identifier itself; several candidates are an error listing them.
 */
export function resolveUiMatch(id: string, matches: Record<string, string[] | undefined>): { context: UiContext; id: string } | { ambiguous: string } | undefined {
  let found: { context: UiContext; id: string } | undefined;
  let count = 0;
  for (const ctx of UI_CONTEXTS) {
    const ids = matches[ctx];
    if (ids === undefined) continue;
    if (ids.length === 1) {
      found = { context: ctx, id: ids[0] ?? '' };
      count++;
    } else if (ids.length > 0 && ids[0] === id) {
      found = { context: ctx, id };
      break;
    }
    if (count > 1 || ids.length > 1) {
      const lines = [`Multiple matches found for id ${JSON.stringify(id)}`];
      for (const c of UI_CONTEXTS) {
        const v = matches[c];
        if (v && v.length) lines.push(`\n${TITLES[c]}:`, v.join(', '));
      }
      return { ambiguous: lines.join('\n') };
    }
  }
  return found;
}

/** The UI path of a resolved object; job IDs are escaped as the UI spells them ("tick%2Fperiodic-1@default"). */
export function uiPath(context: UiContext, id: string, namespace: string): string {
  switch (context) {
    case 'nodes':
      return `/ui/clients/${id}`;
    case 'allocs':
      return `/ui/allocations/${id}`;
    case 'jobs':
      return `/ui/jobs/${encodeURIComponent(id)}${namespace ? `@${encodeURIComponent(namespace)}` : ''}`;
  }
}

function onPath(cmd: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Opens `url` with xdg-open when there is a display to open it on; false when it cannot. */
function openInBrowser(url: string, io: CommandIO): Promise<boolean> {
  const opener = onPath('xdg-open', io.env);
  if (!opener || !(io.env['DISPLAY'] || io.env['WAYLAND_DISPLAY'])) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    const child = spawn(opener, [url], { env: io.env, stdio: 'ignore', detached: true });
    child.once('error', (err) => reject(new CommandError(`Error opening URL: ${err.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

export const uiCommand = defineCommand({
  name: 'ui',
  synopsis: 'Open the Roam Web UI',
  usage: `Usage: roam ui [options] <identifier>

  Open the Roam Web UI in the default browser. An optional identifier may be
  provided, in which case the UI will be opened to view the details for that
  object. Supported identifiers are jobs, allocations and nodes.

  The browser is opened with xdg-open. Without it, or without a display
  (DISPLAY or WAYLAND_DISPLAY), the URL is printed instead, as with -show-url.`,
  api: true,
  optionsHelp: `UI Options:

  -authenticate
    Exchange your ACL token for a one-time token in the web UI, if ACLs are
    enabled.

  -show-url
    Show the Roam UI URL instead of opening with the default browser.`,
  flags: (fs) => {
    fs.bool('authenticate', false, 'Exchange the ACL token for a one-time token in the web UI.');
    fs.bool('show-url', false, 'Print the URL instead of opening it.');
  },
  async run({ io, api, args, flags, meta }) {
    if (args.length > 1) throw new UsageError('This command takes no or one optional argument, [<identifier>]');
    const url = new URL(meta.address);
    if (meta.namespace) url.searchParams.append('namespace', meta.namespace);
    if (meta.region) url.searchParams.append('region', meta.region);

    let ott = '';
    if (flags.getBool('authenticate')) {
      try {
        ott = (await api.http.put<{ OneTimeToken?: { OneTimeSecretID?: string } }>('/v1/acl/token/onetime')).data.OneTimeToken?.OneTimeSecretID ?? '';
      } catch (err) {
        // An agent without ACL routes answers 404: it has no ACLs to exchange a token for.
        const why = err instanceof ApiError && err.status === 404 ? 'ACL support disabled' : err instanceof Error ? err.message : String(err);
        throw new CommandError(`Could not get one-time token: ${why}`);
      }
    }

    const id = args[0];
    if (id !== undefined) {
      let matches: Record<string, string[] | undefined>;
      try {
        matches = (await api.system.search(id, 'all')).data.Matches;
      } catch (err) {
        throw new CommandError(`Error querying search with id: ${JSON.stringify(err instanceof Error ? err.message : String(err))}`);
      }
      const match = resolveUiMatch(id, matches);
      if (match === undefined) throw new CommandError(`Unable to resolve ID: ${JSON.stringify(id)}`);
      if ('ambiguous' in match) throw new CommandError(match.ambiguous);
      url.pathname = uiPath(match.context, match.id, meta.namespace);
    }

    let opening = `Opening URL ${JSON.stringify(showUrl(url))}`;
    if (ott) {
      opening += ' with one-time token';
      url.searchParams.append('ott', ott);
    }
    if (flags.getBool('show-url') || !(await openInBrowser(showUrl(url), io))) {
      io.out(`URL for web UI: ${showUrl(url)}\n`);
      return 0;
    }
    io.out(`${opening}\n`);
    return 0;
  },
});

/** The URL as Go prints it: no trailing "/" for a bare address (http://127.0.0.1:4646). */
function showUrl(url: URL): string {
  const s = url.toString();
  return url.pathname === '/' ? s.replace(/\/(?=\?|$)/, '') : s;
}
