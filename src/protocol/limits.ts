/**
 * The limits of docs/protocol.md, "Limits", in one place. Every other module (relay,
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
/**
 * The most one reply may carry of a log or a list (the events of a visitor's
 * `welcome` and of `watch`; the summaries of an agent's `welcome` and `list`), in
 * bytes of JSON. A longer answer comes in pages: a visitor's `welcome` is followed by
 * the rest as `event` frames, paced by the relay; `watch` says `more` and `welcome`
 * gives `next`, and the agent asks for the rest. One item always fits, whatever its size.
 */
export const MAX_PAGE_BYTES = 128 * 1024;
/** The most events or summaries in one page, whatever their size. */
export const MAX_PAGE_ITEMS = 500;
/**
 * One conversation's log holds at most this many events and this many bytes of JSON.
 * The event that would pass either is not stored; the chat ends instead with
 * `ended {by: "system", reason: "log_full"}` (which always fits).
 */
export const MAX_LOG_EVENTS = 2000;
export const MAX_LOG_BYTES = 2 * 1024 * 1024;
/**
 * Visitor `typing` and `read` frames relayed per conversation (all its tabs together);
 * more are dropped: each goes to every agent who hears the chat, and a later one says
 * all an earlier one did.
 */
export const VISITOR_CHATTER_RATE = { count: 10, windowMs: 1000 } as const;
/** Chats (queued or active) one address may have open at once; the next `hello` is refused 4429. */
export const MAX_OPEN_CHATS_PER_ADDRESS = 20;
/**
 * Messages left while nobody could answer (`hello.message`) waiting for an agent, per
 * address: they never end by themselves, so fewer than the open chats; the next such
 * `hello` is refused 4429 until an agent takes one.
 */
export const MAX_LEFT_MESSAGES_PER_ADDRESS = 3;
/** Visitor sockets open at once on one conversation (tabs); the next is refused 4429. */
export const MAX_SOCKETS_PER_CONVERSATION = 5;
/** Sockets (visitor and agent) open at once from one address (an IPv6 /64); the next upgrade gets HTTP 429. */
export const MAX_SOCKETS_PER_ADDRESS = 100;
/** `resume` allowed per window, per address; then `error rate_limited` and close 4429. */
export const RESUME_RATE = { count: 120, windowMs: 60_000 } as const;

/**
 * Upload and download requests (`/v1/uploads/…`, `/v1/files/…`) per address: each costs
 * the relay a read of its store, so a flood of them (one connection may carry many) is
 * refused with HTTP 429 before any.
 */
export const FILE_REQUEST_RATE = { count: 600, windowMs: 60_000 } as const;
/** Bytes of visitor messages one address may have stored per window, across all its chats. */
export const VISITOR_BYTES_RATE = { count: 1024 * 1024, windowMs: 60_000 } as const;
/** A block lasts this long unless removed sooner. */
export const BLOCK_DAYS = 30;
