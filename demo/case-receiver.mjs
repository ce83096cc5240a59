/**
 * A demo receiver of the relay's webhook (docs/webhooks.md), for people who clone this
 * repository: it shows, in plain Node with no dependencies, what any receiver of
 * `conversation.ended` must do, and turns each ended chat into a case file.
 *
 *   node demo/case-receiver.mjs --port 4000 --secret SECRET --dir cases/
 *   (or PARLEY_WEBHOOK_SECRET=SECRET; listens on 127.0.0.1 unless --host says otherwise)
 *
 * For each POST it:
 * - reads the raw body, at most MAX_BODY_BYTES (10 MiB; 413 beyond, whatever
 *   Content-Length said);
 * - checks `Parley-Signature: t=UNIX_SECONDS,v1=HEX[,v1=HEX…]`: HEX is the HMAC-SHA256,
 *   keyed with the secret, of `UNIX_SECONDS + "." + body` over the raw bytes, compared
 *   with crypto.timingSafeEqual; any one `v1` may match (a relay rotating its secret
 *   sends one per secret). No or a wrong signature, or a timestamp more than
 *   TOLERANCE_SECONDS (5 minutes) from now: 401. A header or body it cannot read: 400;
 * - drops a delivery whose id it has seen (200, nothing written): the relay delivers at
 *   least once and retries with the same id. Ids are remembered as files in
 *   `DIR/.deliveries/`, so a restarted receiver still drops repeats; a delivery is
 *   marked only after its case file is written, so a crash in between means the retry
 *   writes the same file again rather than the case being lost;
 * - for `conversation.ended`, writes `DIR/{conversationId}.txt` (the customer, page,
 *   times, agents, status and the whole history, notes included), through a temporary
 *   file and a rename, so a reader never sees half a file. Other event types: 200,
 *   logged and ignored. A failure to write: 500, so the relay tries again later.
 *
 * The functions are exported for the tests (test/demo); the server starts only when
 * this file is run as the main module.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { access, mkdir, open, rename, unlink } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The largest body read: 10 MiB. A transcript is at most 2,000 events or 2 MiB of event JSON. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** How far a signature's timestamp may be from the receiver's clock: 5 minutes. */
export const TOLERANCE_SECONDS = 5 * 60;
/** How much of a refused body is still read and dropped (so the client reads the 413) before the socket is cut. */
const DRAIN_MAX_BYTES = 2 * MAX_BODY_BYTES;
const DRAIN_MAX_MS = 10_000;
/** Relay ids are 16 random bytes in base64url; this also keeps a conversation id from naming another path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Reads `Parley-Signature: t=UNIX_SECONDS,v1=HEX,…`. Returns the timestamp and every
 * `v1` value as bytes, or null when the header is malformed. Other schemes are ignored.
 */
export function parseSignatureHeader(header) {
  let timestamp = null;
  const signatures = [];
  for (const part of header.split(',')) {
    const item = part.trim();
    const equals = item.indexOf('=');
    const key = equals < 0 ? item : item.slice(0, equals);
    const value = equals < 0 ? '' : item.slice(equals + 1);
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * Checks a delivery's signature: `header` is Parley-Signature, `body` the raw bytes
 * (a Buffer), `secrets` one secret or several (during a rotation). Returns
 * `{ ok: true, timestamp }`, or `{ ok: false, status, message }` with 401 for a missing
 * or wrong signature or a timestamp too far from `nowSeconds`, 400 for a malformed header.
 */
export function verifySignature(header, body, secrets, nowSeconds = Date.now() / 1000, toleranceSeconds = TOLERANCE_SECONDS) {
  if (!header) return { ok: false, status: 401, message: 'missing Parley-Signature header' };
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, status: 400, message: 'malformed Parley-Signature header: expected t=UNIX_SECONDS,v1=64 hex digits' };
  const signed = Buffer.concat([Buffer.from(`${parsed.timestamp}.`), body]);
  const matches = [secrets].flat().some((secret) => {
    const expected = createHmac('sha256', secret).update(signed).digest();
    return parsed.signatures.some((given) => timingSafeEqual(given, expected));
  });
  if (!matches) return { ok: false, status: 401, message: 'signature does not match: wrong secret, or the body was changed on the way' };
  const skew = Math.round(nowSeconds - parsed.timestamp);
  if (Math.abs(skew) > toleranceSeconds) {
    return { ok: false, status: 401, message: `timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}, more than the ${toleranceSeconds} s allowed (a replay, or the clocks disagree)` };
  }
  return { ok: true, timestamp: parsed.timestamp };
}

/** Writes `text` to `path` through a temporary file in the same folder and a rename. */
async function writeFileAtomic(path, text) {
  const temp = join(dirname(path), `.tmp-${randomBytes(8).toString('hex')}`);
  const file = await open(temp, 'wx');
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path).catch(async (error) => {
    await unlink(temp).catch(() => {});
    throw error;
  });
}

const exists = (path) => access(path).then(() => true, () => false);
/** Where a delivery id is remembered: named by its hash, so any id makes a safe file name. */
const markerOf = (dir, id) => join(dir, '.deliveries', `${createHash('sha256').update(id).digest('hex')}.json`);

/** Text without control or bidi-override characters (line ends stay), which could rewrite a terminal showing the file. */
const plain = (value) => String(value ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
const who = (agent) => plain(agent?.name ?? 'an agent');
function duration(seconds) {
  if (typeof seconds !== 'number') return '-';
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** One line of the history for one transcript event (a log event or an agent's note). */
function historyLine(event, customer) {
  switch (event.type) {
    case 'requested':
      return `${customer} started the chat${event.page ? ` on ${plain(event.page.url)}` : ''}`;
    case 'message':
      return `${event.from === 'agent' ? who(event.agent) : customer}: ${plain(event.text)}`;
    case 'note':
      return `[internal note] ${who(event.agent)}: ${plain(event.text)}`;
    case 'claimed':
      return `${who(event.agent)} joined the chat`;
    case 'transferred':
      return `${who(event.from)} transferred the chat to ${event.to?.agent ? who(event.to.agent) : 'the queue'}${event.note ? ` (note: ${plain(event.note)})` : ''}`;
    case 'upload_requested':
      return `${who(event.agent)} asked for a file of at most ${event.maxBytes} bytes${event.note ? ` (note: ${plain(event.note)})` : ''}`;
    case 'upload_canceled':
      return `the file request was canceled by the ${event.by === 'agent' ? 'agent' : 'customer'}`;
    case 'file':
      return `${customer} sent a file: ${plain(event.name)} (${event.size} bytes, ${plain(event.mime)})`;
    case 'ended':
      return `the chat was ended by ${event.by === 'agent' ? who(event.agent) : event.by === 'visitor' ? customer : 'the relay'}${event.reason ? ` (${plain(event.reason)})` : ''}`;
    default:
      return `(${plain(event.type)}) ${plain(JSON.stringify(event))}`;
  }
}

/** The case file of one transcript record (see src/relay/transcript.ts for its fields). */
export function caseText(transcript, delivery) {
  const t = transcript;
  const customer = plain(t.visitor?.name || t.visitor?.email || 'the customer');
  const email = plain(t.visitor?.email);
  const lines = [
    `Case ${plain(t.conversationId)}: ${plain(t.status)}`,
    '',
    `Customer:        ${t.visitor?.name ? `${customer} <${email}>` : email} (email ${t.visitor?.verified ? 'verified' : 'not verified'})`,
    `Page:            ${t.page ? `${plain(t.page.url)}${t.page.title ? ` (${plain(t.page.title)})` : ''}` : '-'}`,
    `Address:         ${plain(t.ip)}`,
    `Requested:       ${plain(t.requestedAt)}`,
    `Accepted:        ${t.acceptedAt ? `${plain(t.acceptedAt)} (waited ${duration(t.waitSeconds)})` : 'never'}`,
    `Ended:           ${plain(t.endedAt)} by ${plain(t.endedBy)}${t.endReason ? ` (${plain(t.endReason)})` : ''}`,
    `With an agent:   ${duration(t.durationSeconds)}`,
    `First response:  ${duration(t.firstResponseSeconds)}`,
    `Agents:          ${(t.agents ?? []).map(who).join(', ') || '-'}`,
    `Transfers:       ${t.transfers ?? 0}`,
    `Messages:        ${t.visitorMessages ?? 0} from the customer, ${t.agentMessages ?? 0} from agents`,
    `Files:           ${(t.files ?? []).map((f) => `${plain(f.name)} (${f.bytes} bytes)`).join(', ') || '-'}`,
    `Delivery:        ${plain(delivery.id)} (made ${plain(delivery.createdAt)})`,
    '',
    'History (times in UTC; notes are internal, the customer never saw them)',
    '',
  ];
  for (const event of (t.events ?? []).filter((e) => e && typeof e === 'object')) {
    const [first, ...rest] = historyLine(event, customer).split(/\r\n|\r|\n/);
    lines.push(`${plain(event.at)}  ${first}`, ...rest.map((line) => `${' '.repeat(26)}${line}`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Handles one delivery whose body has been read: checks it, drops a repeat, writes the
 * case. `options`: `secret` (one or several), `dir`, and optionally `now()` in
 * milliseconds, `toleranceSeconds`, `log(line)` and `inFlight` (a Map shared by the
 * deliveries of one server, so that one arriving while its twin is being handled
 * waits for it). Returns `{ status, message }`.
 */
export async function handleDelivery({ headers, body }, options) {
  const { secret, dir, now = Date.now, toleranceSeconds = TOLERANCE_SECONDS, log = console.log, inFlight = new Map() } = options;
  const signature = verifySignature(headers['parley-signature'], body, secret, now() / 1000, toleranceSeconds);
  if (!signature.ok) return signature;

  let delivery;
  try {
    delivery = JSON.parse(body.toString('utf8'));
  } catch {
    return { status: 400, message: 'body is not JSON' };
  }
  if (typeof delivery?.id !== 'string' || !delivery.id || typeof delivery.type !== 'string') {
    return { status: 400, message: 'body needs a string "id" and "type"' };
  }
  // The signature covers the body, not the headers: the id that counts is the body's.
  const header = headers['parley-delivery'];
  if (header !== undefined && header !== delivery.id) return { status: 400, message: 'Parley-Delivery does not match the body\'s "id"' };
  const transcript = delivery.data?.transcript;
  if (delivery.type === 'conversation.ended' && (!SAFE_ID.test(transcript?.conversationId ?? '') || !Array.isArray(transcript.events))) {
    return { status: 400, message: 'conversation.ended needs data.transcript with a conversationId (letters, digits, - and _) and events' };
  }

  // A twin of this delivery being handled right now (a retry after a timeout): wait for it.
  while (inFlight.has(delivery.id)) await inFlight.get(delivery.id).catch(() => {});
  const marker = markerOf(dir, delivery.id);
  const work = (async () => {
    if (await exists(marker)) return false;
    await mkdir(dirname(marker), { recursive: true });
    if (delivery.type === 'conversation.ended') {
      const file = join(dir, `${transcript.conversationId}.txt`);
      await writeFileAtomic(file, caseText(transcript, delivery));
      log(`case ${transcript.conversationId}: wrote ${file} (delivery ${delivery.id})`);
    } else {
      log(`ignored event type ${JSON.stringify(delivery.type)} (delivery ${delivery.id})`);
    }
    await writeFileAtomic(marker, `${JSON.stringify({ id: delivery.id, type: delivery.type, receivedAt: new Date(now()).toISOString() })}\n`);
    return true;
  })();
  inFlight.set(delivery.id, work);
  try {
    if (!(await work)) {
      log(`dropped repeated delivery ${delivery.id}`);
      return { status: 200, message: `delivery ${delivery.id} already received` };
    }
    return { status: 200, message: delivery.type === 'conversation.ended' ? 'case written' : `event type ${delivery.type} ignored` };
  } catch (error) {
    log(`delivery ${delivery.id} failed: ${error.message}`);
    return { status: 500, message: 'could not write the case; send it again later' };
  } finally {
    inFlight.delete(delivery.id);
  }
}

const answer = (res, status, message) => {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
};

/**
 * Answers 413 for a body over the limit. The answer is written at once but finished
 * only when the rest of the body has been read and dropped (at most DRAIN_MAX_BYTES,
 * DRAIN_MAX_MS): closing a socket with unread bytes makes a reset that can reach the
 * client before the answer does.
 */
function refuseTooLarge(req, res, maxBodyBytes) {
  const text = `body is larger than ${maxBodyBytes} bytes\n`;
  res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
  res.write(text);
  let dropped = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DRAIN_MAX_MS).unref();
  req.removeAllListeners('data');
  req.on('data', (chunk) => (dropped += chunk.length) > DRAIN_MAX_BYTES && cut());
  req.on('end', () => res.end());
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

/**
 * An HTTP server (not yet listening) that takes deliveries at any path. `options`: as
 * for handleDelivery, plus `maxBodyBytes` (default MAX_BODY_BYTES).
 */
export function createCaseReceiver(options) {
  const { maxBodyBytes = MAX_BODY_BYTES, log = console.log } = options;
  const settings = { log, ...options, inFlight: new Map() };
  return createServer((req, res) => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return answer(res, 405, 'send deliveries with POST');
    }
    if (Number(req.headers['content-length']) > maxBodyBytes) return refuseTooLarge(req, res, maxBodyBytes);
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > maxBodyBytes) refuseTooLarge(req, res, maxBodyBytes);
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBodyBytes) return;
      handleDelivery({ headers: req.headers, body: Buffer.concat(chunks) }, settings)
        .catch((error) => ({ status: 500, message: `could not handle the delivery: ${error.message}` }))
        .then(({ status, message }) => {
          if (status !== 200) log(`answered ${status}: ${message}`);
          answer(res, status, message);
        });
    });
  });
}

const USAGE = `usage: node demo/case-receiver.mjs [--port 4000] [--host 127.0.0.1] [--dir cases] --secret SECRET
       (or the secret in PARLEY_WEBHOOK_SECRET)`;

/** The command line: parses the flags, makes the folder, listens. */
async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string', default: '4000' }, host: { type: 'string', default: '127.0.0.1' }, dir: { type: 'string', default: 'cases' }, secret: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) return console.log(USAGE);
  const secret = values.secret ?? process.env.PARLEY_WEBHOOK_SECRET;
  const port = Number(values.port);
  if (!secret) {
    console.error(`no secret: pass --secret or set PARLEY_WEBHOOK_SECRET (the relay's --webhook-secret)\n${USAGE}`);
    process.exit(2);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not ${JSON.stringify(values.port)}\n${USAGE}`);
    process.exit(2);
  }
  await mkdir(join(values.dir, '.deliveries'), { recursive: true });
  const server = createCaseReceiver({ secret, dir: values.dir });
  server.listen(port, values.host, () => {
    const { port: bound } = server.address();
    console.log(`case receiver listening on http://${values.host.includes(':') ? `[${values.host}]` : values.host}:${bound}/, writing cases to ${values.dir}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** True when node was started with this file (not when a test imports it). */
function isMain() {
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
if (isMain()) await main();
