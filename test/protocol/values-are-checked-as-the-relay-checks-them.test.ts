// Shared value checks: emails, file names, media types and sizes in words, so that
// the widget refuses exactly what the relay refuses and says it the same way.
import { describe, expect, it } from 'vitest';
import { formatBytes, isUuid, MAX_FILE_BYTES, MAX_FILE_SIZE_TEXT, newUuid, normalizeEmail, normalizeMime, sanitizeFileName, utf8Length } from '../../src/protocol/index.js';

describe('normalizeEmail', () => {
  it.each(['ann@example.com', 'ann.lee+shop@mail.example.co.uk', "o'brien@example.ie"])('accepts %s', (e) => {
    expect(normalizeEmail(e)).toBe(e);
  });
  it.each(['', 'ann', '@example.com', 'ann@', 'ann@@example.com', 'ann lee@example.com', 'ann@example', 'ann@-x.com', 'ann@1.2.3.4', '.ann@example.com', 'ann..lee@example.com', '<script>@x.com'])('refuses %j', (e) => {
    expect(normalizeEmail(e)).toBeNull();
  });
  it('lower-cases only the domain', () => {
    expect(normalizeEmail('Ann@Example.COM')).toBe('Ann@example.com');
  });
});

describe('sanitizeFileName', () => {
  it('keeps the last path segment and drops control characters and leading dots', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\ann\\label.jpg')).toBe('label.jpg');
    expect(sanitizeFileName('.htaccess')).toBe('htaccess');
    expect(sanitizeFileName('a\u0000b\nc.txt')).toBe('abc.txt');
  });
  it('refuses names with nothing left', () => {
    expect(sanitizeFileName('..')).toBeNull();
    expect(sanitizeFileName('dir/')).toBeNull();
    expect(sanitizeFileName('\ud800.txt')).toBeNull();
  });
  it('shortens to 255 UTF-8 bytes keeping the extension', () => {
    const name = sanitizeFileName(`${'ü'.repeat(300)}.pdf`)!;
    expect(utf8Length(name)).toBeLessThanOrEqual(255);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('normalizeMime', () => {
  it('keeps a type/subtype and drops parameters', () => {
    expect(normalizeMime('Image/PNG; charset=x')).toBe('image/png');
  });
  it('falls back to octet-stream for anything else', () => {
    expect(normalizeMime('text/html\r\nX-Evil: 1')).toBe('application/octet-stream');
    expect(normalizeMime(undefined)).toBe('application/octet-stream');
  });
});

describe('formatBytes', () => {
  it('says the limit as "5 MB" and a bigger file to one decimal', () => {
    expect(MAX_FILE_BYTES).toBe(5_242_880);
    expect(MAX_FILE_SIZE_TEXT).toBe('5 MB');
    expect(formatBytes(6.2 * 1048576)).toBe('6.2 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(900)).toBe('900 bytes');
  });
  it('never shows a file over the limit as the limit itself', () => {
    expect(formatBytes(MAX_FILE_BYTES + 1)).toBe('5.1 MB');
    expect(formatBytes(MAX_FILE_BYTES)).toBe('5 MB');
  });
});

describe('newUuid', () => {
  it('makes version 4 UUIDs that isUuid accepts, also without crypto.randomUUID', () => {
    const made = [newUuid()];
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      for (let i = 0; i < 2000; i++) made.push(newUuid());
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
    for (const id of made) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('4');
      expect('89ab').toContain(id[19]);
    }
    expect(new Set(made).size).toBe(made.length);
    expect(new Set(made.map((id) => id[19])).size).toBe(4);
  });
});
