/**
 * The limits of PROTOCOL.md section 2, in one place. Every other module (relay,
 * client, widget, console) imports these; no number here is repeated elsewhere.
 * Time limits and rate limits are relay defaults that the relay may override.
 */

/** Largest WebSocket frame the relay accepts (bytes); larger closes with 1009. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Consecutive bad frames after which the relay closes the socket with 1008. */
export const MAX_BAD_FRAMES_IN_A_ROW = 20;
/** Longest request `id` (characters). */
export const MAX_ID_LENGTH = 64;
/** Message text, after trimming: at least 1, at most 4,000 characters. */
export const MAX_TEXT_LENGTH = 4000;
/** Email address, RFC 5322 syntax, at most 254 characters. */
export const MAX_EMAIL_LENGTH = 254;
/** Visitor display name, optional. */
export const MAX_NAME_LENGTH = 100;
/** Notes on transfers and upload requests, block comments. */
export const MAX_NOTE_LENGTH = 1000;
/** The page a chat starts from: its address (http or https only) and title. */
export const MAX_PAGE_URL_LENGTH = 2048;
export const MAX_PAGE_TITLE_LENGTH = 300;
/** The largest file a visitor may upload: 5 MB = 5,242,880 bytes. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** A sanitised file name, in UTF-8 bytes. */
export const MAX_FILE_NAME_BYTES = 255;
/** Open upload requests per conversation. */
export const MAX_OPEN_UPLOAD_REQUESTS = 1;
/** Visitor messages allowed per window, per conversation. */
export const VISITOR_MESSAGE_RATE = { count: 20, windowMs: 10_000 } as const;
/** New conversations (`hello`) allowed per window, per IP address. */
export const HELLO_RATE = { count: 30, windowMs: 60_000 } as const;
/** A queued conversation with no visitor socket ends after this long ("abandoned"). */
export const ABANDONED_AFTER_MS = 10 * 60_000;
/** An active conversation with no message from either side ends after this long ("idle"). */
export const IDLE_AFTER_MS = 60 * 60_000;
