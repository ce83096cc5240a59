/**
 * `parley-chat/vue`: types `<parley-chat>` in Vue 3.5 templates checked by vue-tsc (and
 * Volar in the editor), the way Vue's guide does it for custom elements not built
 * with Vue: an entry in `vue`'s `GlobalComponents` whose `$props` and `$emit` are the
 * element's properties and events.
 *
 * ```vue
 * <script setup lang="ts">
 * import 'parley-chat';                  // defines the element
 * import type {} from 'parley-chat/vue'; // types it in templates
 * </script>
 * <template>
 *   <parley-chat :relay="relay" theme="auto" @parley:message="(e) => log(e.detail.text)" />
 * </template>
 * ```
 *
 * The compiler must still be told that the tag is no Vue component:
 * `vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'parley-chat' } } })`
 * in vite.config. This entry only adds types.
 *
 * A types-only entry, as `parley-chat/react` is (see there): `exports` maps `./vue` to
 * this file's declaration under the `types` condition alone; `import type {}` is erased
 * before a bundler looks for it. Importing it needs `vue` (3.5); the main entry never
 * pulls Vue's types in.
 *
 * How Vue passes these to the element: a name the element has as a property is set
 * as that property, any other becomes an attribute. vue-tsc reads `hide-launcher` as
 * `hideLauncher`, but at run time `:hide-launcher="false"` sets the attribute to the
 * string "false", which turns the launcher off: bind booleans (and anything not a
 * string) by the property's name, `:hideLauncher="false"`, `:opened="true"`. Not `open`:
 * that is the element's method `open()`, which Vue would overwrite (refused here).
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { ParleyChat } from './widget/parley-chat.js';
import type { ParleyEventMap } from './widget/events.js';

/** The element's properties a template may set. */
export type ParleyChatVueProps = Partial<
  Pick<ParleyChat, 'relay' | 'heading' | 'title' | 'launcherLabel' | 'position' | 'lang' | 'theme' | 'opened' | 'hideLauncher' | 'pageUrl' | 'strings'>
>;

/** Props that would break the element, refused. */
export interface ParleyChatVueRefused {
  /**
   * Not in Vue: it would overwrite the element's method `open()` (Vue sets a name the
   * element has as a property). Use `:opened="true"`.
   */
  open?: never;
}

/** What vue-tsc sees for `<parley-chat>`: the element, with its props and events for templates. */
export type ParleyChatVue = new () => ParleyChat & {
  /** @deprecated Types for templates only: no such property exists on the element. */
  $props: Omit<HTMLAttributes, keyof ParleyChatVueProps | 'open'> & ParleyChatVueProps & ParleyChatVueRefused & PublicProps;
  /** @deprecated Types for templates only: no such method exists on the element. */
  $emit: EmitFn<{ [K in keyof ParleyEventMap]: (event: ParleyEventMap[K]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'parley-chat': ParleyChatVue;
  }
}
