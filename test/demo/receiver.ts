/**
 * What the tests of demo/case-receiver.mjs share: the types of that plain-JS file (it
 * sits outside the typed tree, so they are written here and checked by the tests that
 * use them), a receiver started in-process on 127.0.0.1 port 0, a signer that computes
 * the HMAC itself (independent of the receiver's code), and a transcript to deliver.
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TranscriptRecord } from '../../src/relay/transcript.js';

export interface ReceiverOptions {
  secret: string | string[];
  dir: string;
  maxBodyBytes?: number;
  toleranceSeconds?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export type Verdict = { ok: true; timestamp: number } | { ok: false; status: 400 | 401; message: string };

/** The exports of demo/case-receiver.mjs. */
export interface CaseReceiverModule {
  MAX_BODY_BYTES: number;
  TOLERANCE_SECONDS: number;
  parseSignatureHeader(header: string): { timestamp: number; signatures: Buffer[] } | null;
  verifySignature(header: string | undefined, body: Buffer, secrets: string | string[], nowSeconds?: number, toleranceSeconds?: number): Verdict;
  caseText(transcript: TranscriptRecord, delivery: { id: string; createdAt: string }): string;
  handleDelivery(request: { headers: Record<string, string | string[] | undefined>; body: Buffer }, options: ReceiverOptions): Promise<{ status: number; message: string }>;
  createCaseReceiver(options: ReceiverOptions): Server;
}

// A specifier in a variable: TypeScript types the import as `any` instead of looking
// for declarations of a .mjs file; the interface above says what it holds.
const RECEIVER_PATH = new URL('../../demo/case-receiver.mjs', import.meta.url).href;
export const loadReceiver = async (): Promise<CaseReceiverModule> => (await import(RECEIVER_PATH)) as CaseReceiverModule;

/** A receiver listening on 127.0.0.1, port 0; `stop()` closes it and its connections. */
export async function startReceiver(options: ReceiverOptions): Promise<{ url: string; log: string[]; stop: () => Promise<void> }> {
  const { createCaseReceiver } = await loadReceiver();
  const log: string[] = [];
  const server = createCaseReceiver({ log: (line) => log.push(line), ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}/`, log, stop };
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** `t=…,v1=…`: HMAC-SHA256, keyed with `secret`, of `t + "." + body`, computed here. */
export function sign(body: string, secret: string, t = nowSeconds()): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** POSTs a delivery body as the relay does, with the given Parley-Signature. */
export async function deliver(url: string, body: string, signature: string, deliveryId = (JSON.parse(body) as { id: string }).id): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Parley-Event': 'conversation.ended', 'Parley-Delivery': deliveryId, 'Parley-Signature': signature },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** A completed chat: Ann on the cart page, Jane Doe answers, a note, a transfer to Bo, a file, Bo ends it. */
export function transcript(conversationId = 'S1IOr-4cevgDztmmuT9H9A'): TranscriptRecord {
  const jane = { id: 'agent-jane', name: 'Jane Doe' };
  const bo = { id: 'agent-bo', name: 'Bo' };
  const page = { url: 'https://shop.example/cart', title: 'Cart' };
  return {
    conversationId,
    visitor: { email: 'ann@example.com', name: 'Ann', verified: false },
    page,
    ip: '203.0.113.7',
    userAgent: null,
    requestedAt: '2026-01-31T12:00:00.000Z',
    acceptedAt: '2026-01-31T12:00:30.000Z',
    endedAt: '2026-01-31T12:06:00.000Z',
    waitSeconds: 30,
    durationSeconds: 330,
    endedBy: 'agent',
    endReason: null,
    status: 'completed',
    agents: [jane, bo],
    transfers: 1,
    visitorMessages: 1,
    agentMessages: 2,
    firstResponseSeconds: 12,
    files: [{ id: 'file-1', name: 'label photo.jpg', bytes: 48213 }],
    rating: null,
    events: [
      { type: 'requested', visitor: { email: 'ann@example.com', name: 'Ann' }, page, seq: 1, at: '2026-01-31T12:00:00.000Z', internal: false },
      { type: 'claimed', agent: jane, seq: 2, at: '2026-01-31T12:00:30.000Z', internal: false },
      { type: 'message', from: 'visitor', text: 'Hi, where is my order?', clientId: 'c1', seq: 3, at: '2026-01-31T12:00:40.000Z', internal: false },
      { type: 'message', from: 'agent', agent: jane, text: 'Hello Ann, let me check.', clientId: 'c2', seq: 4, at: '2026-01-31T12:00:52.000Z', internal: false },
      { type: 'note', internal: true, id: 'note-1', agent: jane, text: 'Order 1042 is stuck in customs', at: '2026-01-31T12:01:00.000Z', afterSeq: 4 },
      { type: 'transferred', from: jane, to: { agent: bo }, note: 'customs case', seq: 5, at: '2026-01-31T12:02:00.000Z', internal: false },
      { type: 'upload_requested', requestId: 'req-1', agent: bo, maxBytes: 5_242_880, seq: 6, at: '2026-01-31T12:03:00.000Z', internal: false },
      { type: 'file', requestId: 'req-1', fileId: 'file-1', name: 'label photo.jpg', size: 48213, mime: 'image/jpeg', seq: 7, at: '2026-01-31T12:04:00.000Z', internal: false },
      { type: 'message', from: 'agent', agent: bo, text: 'Released today.\nIt ships tomorrow.', clientId: 'c3', seq: 8, at: '2026-01-31T12:05:00.000Z', internal: false },
      { type: 'ended', by: 'agent', agent: bo, seq: 9, at: '2026-01-31T12:06:00.000Z', internal: false },
    ],
  };
}

/** The JSON body of a `conversation.ended` delivery. */
export function endedBody(deliveryId: string, record: TranscriptRecord = transcript()): string {
  return JSON.stringify({ id: deliveryId, type: 'conversation.ended', createdAt: new Date().toISOString(), data: { transcript: record } });
}
