/**
 * The `parley-relay` command: runs the relay (`--port --host --data --store --bus
 * --allowed-origins --trust-proxy --webhook --webhook-secret --unseen-seconds --routing
 * --retention-days --demo`; the arguments are read by cli-args.ts),
 * manages agents (`agent add|list|capacity|remove`) and blocks (`block list|remove`) in the same
 * store, writes the transcript records of ended conversations as JSON lines (`export`),
 * and erases a person (`erase`). `--store` and `--bus` default to the environment's
 * `PARLEY_STORE` and `PARLEY_BUS`, the webhook's flags to `PARLEY_WEBHOOK_URL` and
 * `PARLEY_WEBHOOK_SECRET`.
 * An unknown flag or a bad value is an error (exit 2), never ignored. Without `--allowed-origins` (and without `--demo`) it warns on stderr
 * that every origin may connect.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { hopCountWarning, parseTrustProxy } from './client-address.js';
import { addAgentTo, startRelay, type Relay } from './server.js';
import { SqliteStore } from './store-sqlite.js';
import { PostgresStore } from './store-postgres.js';
import type { Store } from './store.js';
import { BadParam, filtersOf, page, type Filters } from './transcript-pages.js';
import { optionalText, parseArgs, secondsFlag, str, UsageError, type Parsed } from './cli-args.js';

/** Records read from the store at a time by `export`. */
const EXPORT_PAGE = 200;
import { hashToken, newId, newToken } from './ids.js';

const USAGE = `Usage:
  parley-relay [--port 8080] [--host 127.0.0.1] [--data .parley] [--allowed-origins URL,URL]
               [--store postgres://USER:PASS@HOST:PORT/DB] [--bus redis://HOST:PORT]
               [--trust-proxy N|ADDRESS,CIDR] [--webhook URL --webhook-secret SECRET]
               [--routing manual|auto] [--offer-seconds 30] [--agent-gone-seconds 120]
               [--unseen-seconds 600]
               [--hours "Mon-Fri 09:00-17:30" --timezone ZONE]
               [--identity-secret SECRET [--require-identity]] [--retention-days N] [--demo]
  parley-relay agent add --name "Jane Doe" [--capacity 3] [--data DIR | --store URL]
  parley-relay agent capacity ID N [--data DIR | --store URL]
  parley-relay agent list [--data DIR | --store URL]
  parley-relay agent remove ID [--data DIR | --store URL]
  parley-relay block list [--data DIR | --store URL]
  parley-relay block remove ID [--data DIR | --store URL]
  parley-relay export [--email ADDRESS] [--since ISO] [--until ISO] [--data DIR | --store URL]
                         # one transcript record (with its events) per line, newest end first
  parley-relay erase --email ADDRESS [--data DIR | --store URL]
                         # deletes every chat started with ADDRESS, its files and its blocks
  parley-relay --help

Options:
  --port N               TCP port (default 8080; 0 = any free port)
  --host HOST            interface to listen on (default 127.0.0.1)
  --data DIR             data folder: SQLite file and older uploaded files (default .parley)
  --store URL            keep everything in PostgreSQL instead of the SQLite file, so that
                         several relays can share it (default: $PARLEY_STORE, else SQLite)
  --bus URL              Redis that carries news between relays and counts rate limits
                         for all of them; needed when several relays share a store
                         (default: $PARLEY_BUS, else this relay is on its own)
  --allowed-origins L    comma-separated exact origins allowed to connect (default: every
                         origin, with a warning unless --demo)
  --trust-proxy T        read the client's address from X-Forwarded-For through trusted
                         proxies only: a hop count (1 = the proxy in front of the relay) or
                         their comma-separated addresses and CIDR ranges, such as
                         127.0.0.1,10.0.0.0/8,::1/128 (default: the header is ignored)
  --webhook URL          POST ended chats, messages left and unread answers to URL,
                         signed, at least once (default: $PARLEY_WEBHOOK_URL; docs/webhooks.md)
  --webhook-secret S     the secret that signs webhook bodies (default:
                         $PARLEY_WEBHOOK_SECRET); needed with --webhook
  --unseen-seconds N     how long an agent's answer may stay unread before the webhook
                         tells of it (message.unseen; default 600)
  --routing MODE         manual (default): agents take chats from the queue; auto: the
                         relay offers each chat to the online agent with the most room
  --offer-seconds N      how long an offer waits for its agent (default 30)
  --agent-gone-seconds N how long an agent may have no console open before their chats
                         go back to the queue (default 120)
  --hours H              when the team answers, such as "Mon-Fri 09:00-17:30; Sat
                         10:00-14:00" (GET /v1/availability says so; default: always)
  --timezone Z           the time zone of --hours, such as Europe/Lisbon (default UTC)
  --identity-secret S    the secret a site signs signed-in customers' emails with
                         (HMAC-SHA256; default: $PARLEY_IDENTITY_SECRET)
  --require-identity     refuse chats whose email the site did not vouch for
  --retention-days N     delete ended chats, with their files, N days after they ended
                         (checked at start and every hour; default: kept)
  --demo                 also serve the demo page at / (the widget is always at
                         /parley.js) and print a fresh token for the agent "Demo Agent"
  --help                 show this help`;

/** The store URL from `--store`, else `PARLEY_STORE`; undefined for the SQLite file. */
function storeUrl(p: Parsed): string | undefined {
  const v = p.flags.get('store') ?? process.env['PARLEY_STORE'];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** `--webhook` and `--webhook-secret`, else `PARLEY_WEBHOOK_URL` and `PARLEY_WEBHOOK_SECRET`; both or neither. */
function webhookOf(p: Parsed): { url: string; secret: string } | undefined {
  const value = (flag: string, env: string): string | undefined => {
    const v = p.flags.get(flag) ?? process.env[env];
    return typeof v === 'string' && v.length > 0 ? v : undefined;
  };
  const url = value('webhook', 'PARLEY_WEBHOOK_URL');
  const secret = value('webhook-secret', 'PARLEY_WEBHOOK_SECRET');
  if (url === undefined && secret === undefined) return undefined;
  if (url === undefined) throw new UsageError('--webhook-secret needs --webhook URL (or PARLEY_WEBHOOK_URL)');
  if (secret === undefined) throw new UsageError('--webhook needs --webhook-secret SECRET (or PARLEY_WEBHOOK_SECRET): it signs every delivery');
  if (!/^https?:\/\/./.test(url)) throw new UsageError('--webhook must be an http or https URL, such as https://example.com/parley-webhook');
  return { url, secret };
}

/** `--identity-secret` (else `PARLEY_IDENTITY_SECRET`) and `--require-identity`. */
function identityFlags(p: Parsed): { identitySecret?: string; requireIdentity?: boolean } {
  const v = p.flags.get('identity-secret') ?? process.env['PARLEY_IDENTITY_SECRET'];
  const secret = typeof v === 'string' && v.length > 0 ? v : undefined;
  if (p.flags.has('require-identity') && !secret) throw new UsageError('--require-identity needs --identity-secret (or PARLEY_IDENTITY_SECRET)');
  if (secret !== undefined && secret.length < 16) throw new UsageError('--identity-secret must be at least 16 characters');
  return { ...(secret ? { identitySecret: secret } : {}), ...(p.flags.has('require-identity') ? { requireIdentity: true } : {}) };
}

/** The bus URL from `--bus`, else `PARLEY_BUS`. */
function busUrl(p: Parsed): string | undefined {
  const v = p.flags.get('bus') ?? process.env['PARLEY_BUS'];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/**
 * Runs a management command on the relay's store (`--store`, or the SQLite file in
 * `--data`): parses its flags (`--help` prints the usage), opens the store, and closes
 * it whatever happens.
 */
async function withStore(args: string[], valued: readonly string[], run: (p: Parsed, store: Store) => Promise<void>): Promise<void> {
  const p = parseArgs(args, ['data', 'store', ...valued], ['help']);
  if (p.flags.has('help')) {
    console.log(USAGE);
    return;
  }
  const url = storeUrl(p);
  const store: Store = url ? await PostgresStore.open(url) : new SqliteStore(join(str(p, 'data', '.parley'), 'parley.db'));
  try {
    await run(p, store);
  } finally {
    await store.close();
  }
}

/** A capacity given on the command line: a whole number from 1 to 100. */
function capacityOf(v: string | true | undefined): number {
  if (typeof v !== 'string' || !/^[1-9]\d?$|^100$/.test(v)) throw new UsageError('capacity must be a whole number from 1 to 100');
  return Number(v);
}

/** Removes one agent or block by id; exit code 1 when there is none. */
async function removeOne(kind: 'agent' | 'block', id: string, remove: (id: string) => Promise<boolean>): Promise<void> {
  if (!(await remove(id))) {
    console.error(`parley-relay: no ${kind} with id ${id}`);
    process.exitCode = 1;
    return;
  }
  console.log(`removed ${kind} ${id}`);
}

function agentCommand([sub, ...rest]: string[]): Promise<void> {
  return withStore(rest, ['name', 'capacity'], async (p, store) => {
    if (sub === 'add') {
      const name = p.flags.get('name');
      if (typeof name !== 'string' || p.positional.length > 0) throw new UsageError('agent add needs --name "Full Name"');
      const capacity = p.flags.has('capacity') ? capacityOf(p.flags.get('capacity')) : undefined;
      const a = await addAgentTo(store, name, capacity);
      console.log(`added agent ${a.name} (id ${a.id}); ${a.capacity} chats at once; its token, shown only now:`);
      console.log(a.token);
    } else if (sub === 'list') {
      if (p.positional.length > 0 || p.flags.has('name')) throw new UsageError('agent list takes only --data or --store');
      const agents = await store.listAgents();
      if (agents.length === 0) console.log('no agents');
      for (const a of agents) console.log(`${a.id}\t${a.name}\t${a.capacity} chats at once\tadded ${a.createdAt}`);
    } else if (sub === 'capacity') {
      if (p.positional.length !== 2 || p.flags.size > (p.flags.has('data') || p.flags.has('store') ? 1 : 0)) {
        throw new UsageError('agent capacity needs an agent ID and a number, such as: agent capacity ID 5');
      }
      const [id, n] = p.positional as [string, string];
      const capacity = capacityOf(n);
      if (!(await store.setAgentCapacity(id, capacity))) {
        console.error(`parley-relay: no agent with id ${id}`);
        process.exitCode = 1;
        return;
      }
      console.log(`agent ${id} may now have ${capacity} chats at once`);
    } else if (sub === 'remove') {
      if (p.positional.length !== 1 || p.flags.has('name')) throw new UsageError('agent remove needs exactly one agent ID');
      await removeOne('agent', p.positional[0]!, (id) => store.removeAgent(id));
    } else {
      throw new UsageError(sub === undefined ? 'agent needs add, list, capacity or remove' : `unknown agent command ${sub}`);
    }
  });
}

function blockCommand([sub, ...rest]: string[]): Promise<void> {
  return withStore(rest, [], async (p, store) => {
    if (sub === 'list') {
      if (p.positional.length > 0) throw new UsageError('block list takes only --data or --store');
      const blocks = await store.listBlocks(new Date().toISOString());
      if (blocks.length === 0) console.log('no blocks');
      for (const b of blocks) {
        const who = b.byAddress ? `everyone at ${b.address}` : `${b.email} at ${b.address}`;
        console.log(`${b.id}\t${who}\tuntil ${b.expiresAt}\tby agent ${b.agentId}${b.comment ? `\t${JSON.stringify(b.comment)}` : ''}`);
      }
    } else if (sub === 'remove') {
      if (p.positional.length !== 1) throw new UsageError('block remove needs exactly one block ID');
      await removeOne('block', p.positional[0]!, (id) => store.removeBlock(id));
    } else {
      throw new UsageError(sub === undefined ? 'block needs list or remove' : `unknown block command ${sub}`);
    }
  });
}

/**
 * `export`: the transcript records of ended conversations (the same records as
 * `GET /v1/transcripts/{id}`, events included) as JSON lines on stdout, newest end
 * first, read a page at a time.
 */
function exportCommand(args: string[]): Promise<void> {
  return withStore(args, ['email', 'since', 'until'], async (p, store) => {
    if (p.positional.length > 0) throw new UsageError('export takes only --email, --since, --until, --data or --store');
    const query = new URLSearchParams();
    for (const k of ['email', 'since', 'until']) if (typeof p.flags.get(k) === 'string') query.set(k, p.flags.get(k) as string);
    let filters: Filters;
    try {
      filters = filtersOf(query);
    } catch (err) {
      throw err instanceof BadParam ? new UsageError(err.message) : err;
    }
    for (;;) {
      const { records, next } = await page(store, filters, EXPORT_PAGE);
      for (const r of records) if (!process.stdout.write(`${JSON.stringify(r)}\n`)) await once(process.stdout, 'drain');
      if (!next) return;
      filters = { ...filters, after: next };
    }
  });
}

/** `erase --email`: deletes everything kept about one person, and says how much. */
function eraseCommand(args: string[]): Promise<void> {
  return withStore(args, ['email'], async (p, store) => {
    const email = p.flags.get('email');
    if (typeof email !== 'string' || email.trim() === '' || p.positional.length > 0) throw new UsageError('erase needs --email ADDRESS');
    const r = await store.eraseEmail(email.trim());
    const n = (count: number, one: string): string => `${count} ${one}${count === 1 ? '' : 's'}`;
    console.log(`erased ${n(r.conversations, 'conversation')}, ${n(r.files, 'file')} and ${n(r.blocks, 'block')} of ${email.trim()}`);
  });
}

async function serve(args: string[]): Promise<void> {
  const p = parseArgs(args, ['port', 'host', 'data', 'store', 'bus', 'allowed-origins', 'trust-proxy', 'webhook', 'webhook-secret', 'retention-days', 'routing', 'offer-seconds', 'agent-gone-seconds', 'unseen-seconds', 'hours', 'timezone', 'identity-secret'], [
    'require-identity',
    'demo',
    'help',
  ]);
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
  const webhook = webhookOf(p);
  const routing = p.flags.get('routing');
  if (routing !== undefined && routing !== 'manual' && routing !== 'auto') throw new UsageError('--routing must be manual or auto');
  const retention = p.flags.get('retention-days');
  if (typeof retention === 'string' && !/^[1-9]\d{0,5}$/.test(retention)) throw new UsageError('--retention-days must be a whole number of days, 1 or more');
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
    storeUrl: storeUrl(p),
    busUrl: busUrl(p),
    ...(webhook ? { webhook } : {}),
    ...(typeof retention === 'string' ? { retentionDays: Number(retention) } : {}),
    ...(routing !== undefined ? { routing } : {}),
    ...secondsFlag(p, 'offer-seconds', 'offerTimeoutMs'),
    ...secondsFlag(p, 'agent-gone-seconds', 'agentGoneMs'),
    ...secondsFlag(p, 'unseen-seconds', 'unseenAfterMs'),
    ...optionalText(p, 'hours', 'hours'),
    ...optionalText(p, 'timezone', 'timezone'),
    ...identityFlags(p),
    demo,
    log: (line) => console.error(line),
  });
  console.log(`listening on ${relay.url}`);
  if (demo) {
    const token = newToken();
    const existing = (await relay.store.listAgents()).find((a) => a.name === 'Demo Agent');
    if (existing) await relay.store.setAgentTokenHash(existing.id, hashToken(token));
    else await relay.store.addAgent({ id: newId(), name: 'Demo Agent', tokenHash: hashToken(token), createdAt: new Date().toISOString() });
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
    if (argv[0] === 'agent') await agentCommand(argv.slice(1));
    else if (argv[0] === 'block') await blockCommand(argv.slice(1));
    else if (argv[0] === 'export') await exportCommand(argv.slice(1));
    else if (argv[0] === 'erase') await eraseCommand(argv.slice(1));
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
