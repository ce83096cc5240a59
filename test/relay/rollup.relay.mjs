// The project's rollup config, reduced to the relay's output, so relay
// tests that need the built CLI do not rebuild the widget and the console.
import configs from '../../rollup.config.mjs';
import { RELAY_DIST } from '../../scripts/built-paths.mjs';

export default configs.filter((c) => c.output && c.output.dir === RELAY_DIST);
