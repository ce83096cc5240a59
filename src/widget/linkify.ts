/**
 * Splits message text into plain runs and http(s) links, so the log can render links
 * as `<a>` elements and everything else as text. It never produces markup: the result
 * is data for Lit templates, which escape it. Loaded with the first message that may
 * hold a link (`links` in lazy.ts).
 */
import { html, type TemplateResult } from 'lit';

/** One run of a message: text, or a link whose `href` is an http(s) URL. */
export type TextPart = { text: string; href?: string };

// An http(s) URL up to whitespace or a quote, not ending in punctuation that usually
// closes the sentence around it ("see https://x.test/a." links "https://x.test/a").
const URL_RE = /\b(https?:\/\/[^\s<>"'`]*[^\s<>"'`.,;:!?)\]}])/i;

/** `"see https://x.test/a."` → `[{text:'see '}, {text:'https://x.test/a', href:…}, {text:'.'}]`. */
export function linkify(text: string): TextPart[] {
  // split() with a capturing group puts the URLs at the odd indexes.
  return text
    .split(URL_RE)
    .map((t, i): TextPart => {
      if (i % 2) {
        try {
          return { text: t, href: new URL(t).href };
        } catch {
          // Not a URL after all: it stays text.
        }
      }
      return { text: t };
    })
    .filter((p) => p.text);
}

/** A message's text for its bubble: links as `<a>` opening in a new tab, the rest as text. */
export function linked(text: string): (string | TemplateResult)[] {
  return linkify(text).map((t) => (t.href ? html`<a href=${t.href} target="_blank" rel="noopener noreferrer">${t.text}</a>` : t.text));
}
