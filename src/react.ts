/**
 * `parley-chat/react`: JSX typings for `<parley-chat>` in React 19 (a module
 * augmentation of `react`'s `JSX.IntrinsicElements`), so that
 *
 * ```tsx
 * import 'parley-chat';                   // defines the element
 * import type {} from 'parley-chat/react'; // types it in JSX
 *
 * <parley-chat relay="https://chat.example.com" theme="auto" ref={chatRef} />
 * ```
 *
 * type-checks, and `theme="purple"` does not.
 *
 * A types-only entry. The package's `exports` map `./react` to this file's declaration
 * (`dist/types/react.d.ts`) under the `types` condition alone, with no JavaScript
 * beside it: there is nothing to run, and `import type {} from 'parley-chat/react'` is
 * erased before any bundler resolves it (as are `/// <reference types="parley-chat/react" />`
 * and `"types": ["parley-chat/react"]` in a tsconfig). A plain `import 'parley-chat/react'`
 * fails to resolve in a bundler, loudly, rather than shipping an empty module to
 * every page. Consumers need `moduleResolution` `bundler`, `node16` or `nodenext`
 * (the ones that read `exports`). Importing it needs `@types/react` (19); the main entry
 * never pulls React's types in, so apps of other frameworks never see this file.
 *
 * How React 19 passes these to the element: a prop whose name the element has as a
 * property (`relay`, `heading`, `title`, `launcherLabel`, `position`, `lang`, `theme`, `opened`,
 * `hideLauncher`, `pageUrl`, `strings`) is set as that property; any other name
 * (`launcher-label`, `hide-launcher`, `page-url`) becomes an attribute, and `false`
 * removes it. So import `parley-chat` before the first render (the element must be
 * defined for React to see its properties). Not `open`: the element's `open` is its
 * method `open()`, which React would overwrite; the property is `opened`.
 * Events: `ref` it and `addEventListener('parley:message', …)` (typed by the main entry).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ParleyChat } from './widget/parley-chat.js';

/** The element's own props in JSX, each by its attribute name and by its property name. */
export interface ParleyChatJsxProps {
  /** The relay's base URL (`https://chat.example.com`). */
  relay?: ParleyChat['relay'];
  /** The panel's title. Default: the locale's "Support". */
  heading?: ParleyChat['heading'];
  /** The panel's title when `heading` is not set (deprecated: it also draws a tooltip over the widget). */
  title?: ParleyChat['title'];
  /** The launcher's accessible name (attribute). Default: "Chat with us". */
  'launcher-label'?: ParleyChat['launcherLabel'];
  /** The launcher's accessible name (property). */
  launcherLabel?: ParleyChat['launcherLabel'];
  /** `right` (default) or `left`. */
  position?: ParleyChat['position'];
  /** The language of the widget's strings (`en`, `es`, `de`, `ar`). Default: the page's. */
  lang?: ParleyChat['lang'];
  /** `light` (default), `dark` or `auto` (follows `prefers-color-scheme`). */
  theme?: ParleyChat['theme'];
  /** Whether the panel is open (property; the attribute is `open`). */
  opened?: ParleyChat['opened'];
  /**
   * Not in React: it would overwrite the element's method `open()` (React 19 sets a
   * prop as a property when the element has one by that name). Use `opened`.
   */
  open?: never;
  /** Hides the round button; open the panel with `open()` (attribute). */
  'hide-launcher'?: ParleyChat['hideLauncher'];
  /** Hides the round button (property). */
  hideLauncher?: ParleyChat['hideLauncher'];
  /** What a new chat tells the agent of the page: `path` (default), `full` or `none` (attribute). */
  'page-url'?: ParleyChat['pageUrl'];
  /** What a new chat tells the agent of the page (property). */
  pageUrl?: ParleyChat['pageUrl'];
  /** Overrides for any string of the locale table (property only). */
  strings?: ParleyChat['strings'];
}

/** Everything `<parley-chat>` takes in React: its props, React's HTML attributes, `ref`. */
export type ParleyChatJsx = Omit<DetailedHTMLProps<HTMLAttributes<ParleyChat>, ParleyChat>, keyof ParleyChatJsxProps> & ParleyChatJsxProps;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'parley-chat': ParleyChatJsx;
    }
  }
}
