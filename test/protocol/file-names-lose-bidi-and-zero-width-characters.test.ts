// A file name is shown to agents and customers as it was stored: invisible characters
// that reorder or hide parts of it (bidi embeddings, overrides, isolates, marks,
// zero-width characters, the BOM) are dropped, so `invoice\u202Efdp.exe` cannot pass
// for a PDF.
import { describe, expect, it } from 'vitest';
import { sanitizeFileName } from '../../src/protocol/index.js';

/** Every character the file-name check must drop, by code point. */
const INVISIBLE = [
  ...range(0x200b, 0x200f), // zero-width space, non-joiner, joiner; LRM, RLM
  ...range(0x202a, 0x202e), // LRE, RLE, PDF, LRO, RLO
  ...range(0x2066, 0x2069), // LRI, RLI, FSI, PDI
  0xfeff, // zero-width no-break space (BOM)
];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('sanitizeFileName drops bidi controls and zero-width characters', () => {
  it('shows a right-to-left override trick for what it is', () => {
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFileName('C:\\Users\\eve\\photo\u202Egpj.scr')).toBe('photogpj.scr');
  });

  it.each(INVISIBLE.map((c) => [`U+${c.toString(16).toUpperCase().padStart(4, '0')}`, String.fromCodePoint(c)]))(
    'drops %s wherever it is',
    (_name, ch) => {
      expect(sanitizeFileName(`${ch}re${ch}port${ch}.pdf${ch}`)).toBe('report.pdf');
    },
  );

  it('drops them before leading dots are taken off', () => {
    expect(sanitizeFileName('\u200b.htaccess')).toBe('htaccess');
    expect(sanitizeFileName('\u2067..\u2069secret')).toBe('secret');
  });

  it('refuses a name that was nothing but invisible characters and dots', () => {
    expect(sanitizeFileName('\u202E')).toBeNull();
    expect(sanitizeFileName('\u200b\u200d\ufeff')).toBeNull();
    expect(sanitizeFileName('\u202E..\u202C')).toBeNull();
  });

  it('keeps letters of right-to-left scripts and ordinary spaces', () => {
    expect(sanitizeFileName('فاتورة 2026.pdf')).toBe('فاتورة 2026.pdf');
    expect(sanitizeFileName('קבלה.txt')).toBe('קבלה.txt');
  });
});

describe('the Arabic letter mark', () => {
  it('is stripped from file names too, and Arabic letters stay', () => {
    expect(sanitizeFileName('فاتورة\u061c.pdf')).toBe('فاتورة.pdf');
  });
});
