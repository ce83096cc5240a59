// Test runner configuration: Node by default; DOM tests opt in with
// `// @vitest-environment happy-dom` at the top of the file.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The build supplies the widget's hashed file name to the script-tag entry; tests use a fixed one.
  resolve: { alias: { 'virtual:widget-entry': new URL('./test/embed/widget-entry-stub.ts', import.meta.url).pathname } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
