/** The build's `virtual:widget-entry` (the widget's hashed file name), for tests of the entry. */
export default 'parley-widget-T3st.js';
