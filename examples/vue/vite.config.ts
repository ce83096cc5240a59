import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [
    vue({
      // <parley-chat> is a custom element, not a Vue component: Vue renders it as is.
      template: { compilerOptions: { isCustomElement: (tag) => tag === 'parley-chat' } },
    }),
  ],
});
