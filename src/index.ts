/**
 * The npm entry, `import 'parley-chat'`: defines `<parley-chat>` once and exports the
 * element class, its event types and the headless `ChatClient` with its types. Every
 * shipped locale table is registered.
 * Lit stays external here, for the app's own bundler to share.
 */
import { defineParleyChat } from './widget/define.js';
import './widget/locales/all.js';

defineParleyChat();

export * from './client/index.js';
export * from './widget/index.js';
