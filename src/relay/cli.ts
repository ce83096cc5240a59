/**
 * The `parley-relay` command: runs the relay (`--port --host --data
 * --allowed-origins --trust-proxy --demo`), manages agents (`agent add|list|remove`)
 * and blocks (`block list|remove`).
 * Parses its own arguments strictly: an unknown flag or a bad value is an error (exit 2),
 * never ignored. Without `--allowed-origins` (and without `--demo`) it warns on stderr
 * that every origin may connect.
 */
import { join } from 'node:path';
import { hopCountWarning, parseTrustProxy } from './client-address.js';
import { addAgentTo, startRelay, type Relay } from './server.js';
import { SqliteStore } from './store-sqlite.js';
import { hashToken, newId, newToken } from './ids.js';

const USAGE = `Usage:
  parley-relay [--port 8080] [--host 127.0.0.1] [--data .parley] [--allowed-origins URL,URL]
               [--trust-proxy N|ADDRESS,CIDR] [--demo]
  parley-relay agent add --name "Jane Doe" [--data DIR]
  parley-relay agent list [--data DIR]
  parley-relay agent remove ID [--data DIR]
  parley-relay block list [--data DIR]
  parley-relay block remove ID [--data DIR]
  parley-relay --help

Options:
  --port N               TCP port (default 8080; 0 = any free port)
  --host HOST            interface to listen on (default 127.0.0.1)
  --data DIR             data folder: SQLite file and uploaded files (default .parley)
  --allowed-origins L    comma-separated exact origins allowed to connect (default: every
                         origin, with a warning unless --demo)
  --trust-proxy T        read the client's address from X-Forwarded-For through trusted
                         proxies only: a hop count (1 = the proxy in front of the relay) or
                         their comma-separated addresses and CIDR ranges, such as
                         127.0.0.1,10.0.0.0/8,::1/128 (default: the header is ignored)
  --demo                 also serve the demo page at / (the widget is always at
                         /parley.js) and print a fresh token for the agent "Demo Agent"
  --help                 show this help`;

/** A usage error: printed with a hint, exit code 2. */
class UsageError extends Error {}

interface Parsed {
  flags: Map<string, string | true>;
  positional: string[];
}

function parseArgs(args: string[], valued: readonly string[], bare: readonly string[]): Parsed {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (bare.includes(name)) {
      if (eq > 0) throw new UsageError(`option --${name} takes no value`);
      flags.set(name, true);
    } else if (valued.includes(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { flags, positional };
}

const str = (p: Parsed, name: string, fallback: string): string => {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : fallback;
};

/**
 * Runs a management command on the data folder's store: parses its flags (`--help`
 * prints the usage), opens the store, and closes it whatever happens.
 */
function withStore(args: string[], valued: readonly string[], run: (p: Parsed, store: SqliteStore) => void): void {
  const p = parseArgs(args, ['data', ...valued], ['help']);
  if (p.flags.has('help')) {
    console.log(USAGE);
    return;
  }
  const store = new SqliteStore(join(str(p, 'data', '.parley'), 'parley.db'));
  try {
    run(p, store);
  } finally {
    store.close();
  }
}

/** Removes one agent or block by id; exit code 1 when there is none. */
function removeOne(store: SqliteStore, kind: 'agent' | 'block', id: string, remove: (id: string) => boolean): void {
  if (!remove(id)) {
    console.error(`parley-relay: no ${kind} with id ${id}`);
    process.exitCode = 1;
    return;
  }
  store.flush();
  console.log(`removed ${kind} ${id}`);
}

function agentCommand([sub, ...rest]: string[]): void {
  withStore(rest, ['name'], (p, store) => {
    if (sub === 'add') {
      const name = p.flags.get('name');
      if (typeof name !== 'string' || p.positional.length > 0) throw new UsageError('agent add needs --name "Full Name"');
      const a = addAgentTo(store, name);
      console.log(`added agent ${a.name} (id ${a.id}); its token, shown only now:`);
      console.log(a.token);
    } else if (sub === 'list') {
      if (p.positional.length > 0 || p.flags.has('name')) throw new UsageError('agent list takes only --data');
      const agents = store.listAgents();
      if (agents.length === 0) console.log('no agents');
      for (const a of agents) console.log(`${a.id}\t${a.name}\tadded ${a.createdAt}`);
    } else if (sub === 'remove') {
      if (p.positional.length !== 1 || p.flags.has('name')) throw new UsageError('agent remove needs exactly one agent ID');
      removeOne(store, 'agent', p.positional[0]!, (id) => store.removeAgent(id));
    } else {
      throw new UsageError(sub === undefined ? 'agent needs add, list or remove' : `unknown agent command ${sub}`);
    }
  });
}

function blockCommand([sub, ...rest]: string[]): void {
  withStore(rest, [], (p, store) => {
    if (sub === 'list') {
      if (p.positional.length > 0) throw new UsageError('block list takes only --data');
      const blocks = store.listBlocks(new Date().toISOString());
      if (blocks.length === 0) console.log('no blocks');
      for (const b of blocks) {
        const who = b.byAddress ? `everyone at ${b.address}` : `${b.email} at ${b.address}`;
        console.log(`${b.id}\t${who}\tuntil ${b.expiresAt}\tby agent ${b.agentId}${b.comment ? `\t${JSON.stringify(b.comment)}` : ''}`);
      }
    } else if (sub === 'remove') {
      if (p.positional.length !== 1) throw new UsageError('block remove needs exactly one block ID');
      removeOne(store, 'block', p.positional[0]!, (id) => store.removeBlock(id));
    } else {
      throw new UsageError(sub === undefined ? 'block needs list or remove' : `unknown block command ${sub}`);
    }
  });
}

async function serve(args: string[]): Promise<void> {
  const p = parseArgs(args, ['port', 'host', 'data', 'allowed-origins', 'trust-proxy'], ['demo', 'help']);
  if (p.flags.has('help')) {
    console.log(USAGE);
    return;
  }
  if (p.positional.length > 0) throw new UsageError(`unexpected argument ${p.positional[0]}`);
  const portText = str(p, 'port', '8080');
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError('--port must be a number from 0 to 65535');
  const origins = p.flags.get('allowed-origins');
  const demo = p.flags.has('demo');
  const trustProxy = p.flags.get('trust-proxy');
  if (typeof trustProxy === 'string') {
    // Checked here too, so a bad value is a usage error naming the flag.
    let warning: string | null;
    try {
      warning = hopCountWarning(parseTrustProxy(trustProxy, '--trust-proxy'), str(p, 'host', '127.0.0.1'));
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    if (warning) console.error(`parley-relay: warning: ${warning}`);
  }
  if (typeof origins !== 'string' && !demo) {
    console.error(
      'parley-relay: warning: no --allowed-origins given, so pages on every origin may connect to this relay ' +
        'and use its API. Name the sites that embed the widget, such as --allowed-origins https://shop.example',
    );
  }
  const relay: Relay = await startRelay({
    port: Number(portText),
    host: str(p, 'host', '127.0.0.1'),
    dataDir: str(p, 'data', '.parley'),
    allowedOrigins: typeof origins === 'string' ? origins.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    trustProxy: typeof trustProxy === 'string' ? trustProxy : undefined,
    demo,
    log: (line) => console.error(line),
  });
  console.log(`listening on ${relay.url}`);
  if (demo) {
    const token = newToken();
    const existing = relay.store.listAgents().find((a) => a.name === 'Demo Agent');
    if (existing) relay.store.setAgentTokenHash(existing.id, hashToken(token));
    else relay.store.addAgent({ id: newId(), name: 'Demo Agent', tokenHash: hashToken(token), createdAt: new Date().toISOString() });
    relay.store.flush();
    console.log(`console: ${relay.url}/console`);
    console.log(`demo page: ${relay.url}/`);
    console.log(`agent token: ${token}`);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    console.error(`${signal}: closing sockets and finishing writes`);
    relay.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`parley-relay: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(argv: string[]): Promise<void> {
  try {
    if (argv[0] === 'agent') agentCommand(argv.slice(1));
    else if (argv[0] === 'block') blockCommand(argv.slice(1));
    else await serve(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`parley-relay: ${err.message}\nRun parley-relay --help for usage.`);
      process.exit(2);
    }
    console.error(`parley-relay: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

void main(process.argv.slice(2));
