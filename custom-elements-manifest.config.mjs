// The Custom Elements Manifest of <parley-chat> (custom-elements.json in the npm package
// parley-chat), generated from the element's JSDoc: its attributes, properties, events,
// parts, slots and CSS custom properties, for IDEs and Storybook.
export default {
  globs: ['src/widget/parley-chat.ts'],
  outdir: 'packages/parley-chat',
  litelement: true,
  packagejson: false,
  plugins: [
    {
      name: 'parley-documented-events-only',
      // The element announces its events through one helper; the analyzer reads that
      // helper's `new CustomEvent(name, …)` as an event called "name". The JSDoc
      // `@event` lines are the list.
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          // The package ships the element in dist/index.js (which also defines it), not its source.
          mod.path = 'dist/index.js';
          for (const decl of mod.declarations ?? []) {
            if (decl.events) decl.events = decl.events.filter((e) => e.name.startsWith('parley:'));
          }
          for (const exp of mod.exports ?? []) exp.declaration.module = mod.path;
          const element = (mod.declarations ?? []).find((d) => d.tagName);
          if (element) {
            mod.exports = [...(mod.exports ?? []), { kind: 'custom-element-definition', name: element.tagName, declaration: { name: element.name, module: mod.path } }];
          }
        }
      },
    },
  ],
};
