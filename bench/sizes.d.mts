// Types of bench/sizes.mjs for the TypeScript that imports it (the size test): the
// project does not compile .mjs files. Keep in step with the JSDoc there.

/** Raw, gzip -9 and brotli bytes of one file; null when it does not exist. */
export declare function measure(path: string): { raw: number; gzip: number; brotli: number } | null;

/** The byte budgets (gzip -9) that the bench prints and the size test checks. */
export declare const BUDGETS: { loader: number; scriptTagOpen: number; scriptTagOpenGoal: number; client: number };

/** The script tag's files in `dist`; null when not built. */
export declare function scriptTagFiles(dist: string): { loader: string; eager: string[]; lazy: string[] } | null;

/** The bench's rows for the shipped bundles. */
export declare function sizeRows(where: { widgetDir: string; clientFile: string }, row: (name: string, value: string, o?: { target?: string; status?: string }) => void): void;
