/**
 * Sizes in words for people: the limit is "5 MB", a 6.5 million byte file is "6.2 MB".
 * One MB here is 1,048,576 bytes, so that the 5,242,880-byte limit reads as "5 MB".
 */
import { MAX_FILE_BYTES } from './limits.js';

/**
 * `1536` → "1.5 KB", `5242880` → "5 MB", `12` → "12 bytes". Rounds up to one decimal,
 * so a file one byte over the 5 MB limit reads "5.1 MB", never "5 MB".
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / 1048576, 'MB'];
  // The epsilon keeps an exact 6.2 MB at "6.2 MB" despite floating-point error.
  const rounded = Math.ceil(value * 10 - 1e-9) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${unit}`;
}

/** The file limit in words: "5 MB". */
export const MAX_FILE_SIZE_TEXT = /*#__PURE__*/ formatBytes(MAX_FILE_BYTES);
