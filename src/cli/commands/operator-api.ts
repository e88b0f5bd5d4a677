// `roam operator api PATH`: a raw HTTP call to the agent with the CLI's address, token, region
// and namespace applied; the response body is copied to stdout and the exit code is 0 whatever
// the HTTP status, as in Nomad (command/operator_api.go). The body comes from stdin (as in
// Nomad) or from -d (a Roam addition, like curl's).
import { CommandError, defineCommand, UsageError } from '../command.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Nomad's pathToURL: a bare path is resolved against the configured address. */
export function apiURL(address: string, path: string): URL {
  if (/^https?:\/\//.test(path)) return new URL(path);
  if (path.startsWith('unix://')) throw new CommandError('Error turning path into URL: unix sockets are not supported by Roam');
  return new URL(path.startsWith('/') ? path : `/${path}`, address);
}

export const operatorApiCommand = defineCommand({
  name: 'operator api',
  synopsis: 'Query the Roam HTTP API',
  usage: `Usage: roam operator api [options] <path>

  api is a utility command for accessing the Roam HTTP API and is inspired by
  the popular curl command line tool. Roam's operator api command populates
  Roam's standard environment variables into their appropriate HTTP headers.
  If the 'path' does not begin with "http" then $ROAM_ADDR (or $NOMAD_ADDR)
  or http://127.0.0.1:4646 will be used.

  A request body is read from stdin when it is not a terminal (the method then
  defaults to POST), or given with -d.`,
  api: true,
  optionsHelp: `API Options:

  -dryrun
    Output equivalent curl command to stdout and exit.

  -filter <query>
    Specifies an expression used to filter query results.

  -H <Header>
    Adds an additional HTTP header to the request. May be specified more than
    once. These headers take precedence over automatically set ones such as
    X-Nomad-Token.

  -d <body>
    The request body (Roam addition); the method defaults to POST.

  -verbose
    Output extra information to stderr similar to curl's --verbose flag.

  -X <HTTP Method>
    HTTP method of request. If there is data piped to stdin, then the method
    defaults to POST. Otherwise the method defaults to GET.`,
  flags: (fs) => {
    fs.bool('dryrun', false, 'Output equivalent curl command to stdout and exit.');
    fs.string('filter', '', 'Filter expression.', '<query>');
    fs.list('H', 'Adds an additional HTTP header to the request.', '<Header>');
    fs.string('d', '', 'The request body.', '<body>');
    fs.bool('verbose', false, 'Output extra information to stderr.');
    fs.string('X', '', 'HTTP method of request.', '<HTTP Method>');
  },
  async run({ io, args, flags, parsed, meta }) {
    if (args.length < 1) throw new UsageError('A path or URL is required');
    if (args.length > 1) throw new UsageError(`operator api accepts exactly 1 argument, but ${args.length} arguments were found`);
    const verbose = flags.getBool('verbose');
    const say = (s: string): void => {
      if (verbose) io.err(`${s}\n`);
    };
    let body: string | undefined;
    if (parsed.set.has('d')) body = flags.getString('d');
    else if (!(io.stdin as { isTTY?: boolean }).isTTY && !flags.getBool('dryrun')) {
      // A pipe that closes without data (as from a script or test harness) carries no body.
      const text = await readAll(io.stdin);
      if (text !== '') {
        say('* Reading request body from stdin.');
        body = text;
      }
    }
    const method = (flags.getString('X') || (body !== undefined ? 'POST' : 'GET')).toUpperCase();
    const url = apiURL(meta.address, args[0] ?? '');
    const filter = flags.getString('filter');
    if (filter) url.searchParams.set('filter', filter);
    if (!url.searchParams.get('region') && meta.region) url.searchParams.set('region', meta.region);
    if (!url.searchParams.get('namespace') && meta.namespace) url.searchParams.set('namespace', meta.namespace);
    const headers = new Headers();
    for (const h of flags.getList('H')) {
      const i = h.indexOf(':');
      if (i <= 0) throw new CommandError(`Error parsing flags: invalid value ${JSON.stringify(h)} for flag -H: headers must be in the form "Key: Value"`);
      headers.append(h.slice(0, i).trim(), h.slice(i + 1).trim());
    }
    if (!headers.has('X-Nomad-Token') && meta.token) headers.set('X-Nomad-Token', meta.token);
    if (flags.getBool('dryrun')) {
      const parts = ['curl'];
      if (verbose) parts.push('--verbose');
      if (method !== 'GET') parts.push(`-X ${method}`);
      if (body !== undefined) parts.push('--data-binary @-');
      if (meta.tlsSkipVerify) parts.push('--insecure');
      headers.forEach((v, k) => parts.push(`-H '${k}: ${v}'`));
      parts.push(url.toString());
      io.out(`${parts.join(' \\\n  ')}\n`);
      return 0;
    }
    say(`> ${method} ${url.pathname} HTTP/1.1`);
    headers.forEach((v, k) => say(`> ${k}: ${v}`));
    say('>');
    say('* Sending request and receiving response...');
    let res: Response;
    try {
      res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    } catch (err) {
      throw new CommandError(`Error performing request: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
    }
    say(`< HTTP/1.1 ${res.status} ${res.statusText}`);
    res.headers.forEach((v, k) => say(`< ${k}: ${v}`));
    io.out(await res.text());
    return 0;
  },
});
