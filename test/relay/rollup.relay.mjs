// The project's rollup config, reduced to the relay's output (dist/relay), so relay
// tests that need the built CLI do not rebuild the widget and the console.
import configs from '../../rollup.config.mjs';

export default configs.filter((c) => c.output && c.output.dir === 'dist/relay');
