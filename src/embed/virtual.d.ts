/** The widget entry's hashed file name, supplied by the build (see rollup.config.mjs). */
declare module 'virtual:widget-entry' {
  const file: string;
  export default file;
}
