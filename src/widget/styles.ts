/**
 * Styles of `<parley-chat>` as a Lit stylesheet (adopted as a constructable
 * stylesheet, so a strict CSP needs no 'unsafe-inline'). Custom properties on `:host`
 * are the theming surface; `color-scheme` picks each colour's light or dark value, so
 * `theme="auto"` follows `prefers-color-scheme` without a second set of rules.
 * The host and launcher rules come from `launcher-look.ts`, which the script tag's
 * loader shares; the build minifies both as CSS. The rules of the parts loaded on first
 * use (lazy.ts) travel with them and are adopted when they arrive (`Panel.use`), the
 * secondary buttons' too (secondary-css.ts).
 */
import { unsafeCSS, type CSSResultOrNative } from 'lit';
import { plainCss } from './launcher-basics.js';
import { launcherCss } from './launcher-look.js';

// One stylesheet from two plain strings: Lit's `css` tag would add its checks of
// interpolated values (there are none here) to the file every page loads. Still an
// array, as before, for subclasses that spread `ParleyChat.styles`.
/**
 * The element's stylesheets: the launcher's rules first, on their own, so that the script
 * tag's widget can put the loader's sheet in their place (`useLoaderSheet`).
 */
export const styles: CSSResultOrNative[] = [unsafeCSS(launcherCss), unsafeCSS(plainCss`
  :host{
    --parley-bg:light-dark(#fff,#17191f);
    --parley-fg:light-dark(#1c1e24,#eceef3);
    --parley-muted:light-dark(#5d6270,#a3a9b7);
    --parley-surface:light-dark(#f1f3f7,#262a34);
    --parley-border:light-dark(#d9dde5,#3a3f4b);
    --parley-danger:light-dark(#b3261e,#ff8a80);
    --parley-font:system-ui,sans-serif;
    --parley-radius:14px;
    --parley-width:370px;
    font:15px/1.4 var(--parley-font);
    color:var(--parley-fg)
  }
  *{box-sizing:border-box;margin:0;font:inherit;color:inherit}
  .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  .panel{display:flex;flex-flow:column;width:var(--parley-width);height:min(600px,100vh - 120px);margin-bottom:14px;overflow:hidden;border:1px solid var(--parley-border);border-radius:var(--parley-radius);background:var(--parley-bg);box-shadow:0 12px 40px #0004;animation:rise .2s ease-out}
  @keyframes rise{from{opacity:0;transform:translateY(12px)}}
  .head{display:flex;align-items:center;padding:12px 8px;padding-inline-start:16px;background:var(--parley-accent);color:var(--parley-on-accent)}
  .heading{flex:1}
  h2{font-size:17px;font-weight:700}
  .icon{display:grid;place-items:center;width:40px;height:40px;border-radius:50%}
  .menu{position:relative}
  .body,.log{flex:1;display:flex;flex-flow:column;min-height:0}
  .bar{padding:8px 16px;background:var(--parley-surface)}
  .prechat{display:grid;gap:12px;padding:20px 16px;overflow:auto}
  .prechat>p,.meta,.notice,.typing,.opt{color:var(--parley-muted);font-size:13px}
  label{font-weight:600}
  .opt{font-weight:400}
  .field{display:grid;gap:4px}
  input,textarea{width:100%;padding:9px 11px;border:1px solid var(--parley-border);border-radius:8px;background:var(--parley-bg)}
  [aria-invalid=true]{border-color:var(--parley-danger)}
  .error{color:var(--parley-danger)}
  .primary{padding:10px 16px;border-radius:8px;font-weight:600;border:1px solid var(--parley-accent);background:var(--parley-accent);color:var(--parley-on-accent)}
  [aria-busy=true],:disabled{opacity:.6}
  .link{text-decoration:underline}
  .log{gap:8px;padding:14px 16px;overflow-y:auto}
  .msg{max-width:82%;display:grid;gap:2px}
  .visitor{align-self:flex-end;justify-items:end}
  .bubble{padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;background:var(--parley-surface)}
  .visitor .bubble{background:var(--parley-accent);color:var(--parley-on-accent)}
  .notice{align-self:center;text-align:center}
  .typing,.body>.error{padding:0 16px 6px}
  .composer{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid var(--parley-border)}
  textarea{min-height:42px;max-height:140px;resize:none}
  @media (max-width:480px){
    :host([open]){inset:0}
    :host([open]) .launcher{display:none}
    .panel{position:fixed;inset:0;width:100%;height:var(--parley-vh,100dvh);margin:0;border:0;border-radius:0}
  }
  @media (prefers-reduced-motion:reduce){
    .panel{animation:none}
  }
`)];

/**
 * The script tag: the launcher's rules are the sheet the loader adopted into the
 * element's shadow root before the widget loaded. Called before the element is defined
 * (Lit reads `styles` then); without such a sheet the built-in rules stay.
 */
export function useLoaderSheet(root: ShadowRoot | null | undefined): void {
  const sheet = root?.adoptedStyleSheets[0];
  if (sheet) styles[0] = sheet;
}
