/**
 * One conversation's log has a size limit (`MAX_LOG_EVENTS`, `MAX_LOG_BYTES`), so one
 * customer cannot grow a log that every agent who opens the chat must then read. This
 * measures logs and says whether more events fit; the conversation service ends a
 * chat that is full (`ended {reason: "log_full"}`), an event that always fits.
 */
import { MAX_LOG_BYTES, MAX_LOG_EVENTS, type EventBody, type LogEvent } from '../protocol/index.js';
import { jsonBytes } from './paging.js';

/** Room kept for the `ended` event that closes a full log (generous: its JSON is about 100 bytes). */
const ENDED_ROOM_BYTES = 256;

/** Bytes of a stored log (its events' JSON, as the store keeps them). */
export function logBytes(events: readonly LogEvent[]): number {
  let n = 0;
  for (const e of events) n += jsonBytes(e);
  return n;
}

/** Bytes `bodies` will take once stored: each body's JSON and its `,"seq":N,"at":"…"`. */
export function bodiesBytes(bodies: readonly EventBody[], at: string, firstSeq: number): number {
  let n = 0;
  bodies.forEach((b, i) => (n += jsonBytes(b) + `,"seq":${firstSeq + i},"at":""`.length + at.length));
  return n;
}

/** True when a log of `events` events and `bytes` bytes can take `more` events of `moreBytes` and still close. */
export function fits(events: number, bytes: number, more: number, moreBytes: number): boolean {
  return events + more + 1 <= MAX_LOG_EVENTS && bytes + moreBytes + ENDED_ROOM_BYTES <= MAX_LOG_BYTES;
}
