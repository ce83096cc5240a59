// The agent `note` frame's text follows the documented limit of notes (1 to
// MAX_NOTE_LENGTH = 1,000 characters, like transfer notes and block comments), not
// the 4,000 of messages: one character more is refused with `invalid` naming `text`.
import { describe, expect, it } from 'vitest';
import { MAX_NOTE_LENGTH, MAX_TEXT_LENGTH, parseAgentFrame } from '../../src/protocol/index.js';

const CONV = 'S1IOr-4cevgDztmmuT9H9A';
const note = (text: string) => parseAgentFrame(JSON.stringify({ t: 'note', id: 'n1', conversationId: CONV, text }));

describe('parseAgentFrame: note', () => {
  it('is limited to 1,000 characters, as docs/protocol.md says', () => {
    expect(MAX_NOTE_LENGTH).toBe(1000);
  });

  it('accepts a note of exactly 1,000 characters, also counting characters outside the BMP as one', () => {
    expect(note('n'.repeat(MAX_NOTE_LENGTH))).toEqual({ ok: true, frame: { t: 'note', id: 'n1', conversationId: CONV, text: 'n'.repeat(MAX_NOTE_LENGTH) } });
    const emoji = '😀'.repeat(MAX_NOTE_LENGTH);
    expect(note(emoji)).toMatchObject({ ok: true, frame: { text: emoji } });
  });

  it.each([
    ['1,001 characters', 'n'.repeat(MAX_NOTE_LENGTH + 1)],
    ['4,000 characters (a message may be that long; a note may not)', 'n'.repeat(MAX_TEXT_LENGTH)],
    ['only spaces', '   '],
    ['an empty string', ''],
  ])('refuses %s with invalid, field text', (_what, text) => {
    const r = note(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.id).toBe('n1');
    expect(r.error).toMatchObject({ code: 'invalid', field: 'text' });
    expect(r.error.message).toContain(`1 to ${MAX_NOTE_LENGTH} characters`);
  });

  it('trims a note, and counts its length after trimming', () => {
    expect(note(`  ${'n'.repeat(MAX_NOTE_LENGTH)}  `)).toMatchObject({ ok: true, frame: { text: 'n'.repeat(MAX_NOTE_LENGTH) } });
  });
});
