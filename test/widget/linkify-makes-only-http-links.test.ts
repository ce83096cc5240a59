import { describe, expect, it } from 'vitest';
import { linkify } from '../../src/widget/linkify.js';

describe('linkify', () => {
  it('links http(s) URLs and leaves the sentence around them as text', () => {
    expect(linkify('see https://x.test/a?b=1. Thanks')).toEqual([
      { text: 'see ' },
      { text: 'https://x.test/a?b=1', href: 'https://x.test/a?b=1' },
      { text: '. Thanks' },
    ]);
    expect(linkify('(http://x.test/p)')).toEqual([{ text: '(' }, { text: 'http://x.test/p', href: 'http://x.test/p' }, { text: ')' }]);
  });

  it('finds several links and upper-case schemes', () => {
    const parts = linkify('HTTPS://A.test and https://b.test/x');
    expect(parts.filter((p) => p.href).map((p) => p.href)).toEqual(['https://a.test/', 'https://b.test/x']);
    expect(parts.map((p) => p.text).join('')).toBe('HTTPS://A.test and https://b.test/x');
  });

  it.each(['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://x.test/f', 'www.example.com', 'mailto:a@b.test', 'http://[bad'])(
    'never links %j',
    (t) => {
      expect(linkify(t).some((p) => p.href)).toBe(false);
      expect(linkify(t).map((p) => p.text).join('')).toBe(t);
    },
  );

  it('stops a URL at quotes and angle brackets', () => {
    const parts = linkify('https://example.com/"><script>x</script>');
    expect(parts[0]).toEqual({ text: 'https://example.com/', href: 'https://example.com/' });
    expect(parts.map((p) => p.text).join('')).toBe('https://example.com/"><script>x</script>');
  });

  it('returns nothing for empty text', () => {
    expect(linkify('')).toEqual([]);
  });
});
