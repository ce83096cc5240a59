/**
 * The protocol module: types, limits, codes, parsers and the log fold that every other
 * part of Parley imports. It imports nothing outside itself.
 */
export * from './codes.js';
export * from './http-codes.js';
export * from './errors.js';
export * from './limits.js';
export * from './events.js';
export * from './frames.js';
export * from './values.js';
export * from './format.js';
export * from './fold.js';
export * from './agent-fold.js';
export * from './visitor-view.js';
export * from './transcripts.js';
export { parseRatingBody, parseReadBody, parseVisitorFrame } from './parse-visitor.js';
export { parseAgentFrame } from './parse-agent.js';
export { parseRelayToVisitor, parseRelayToAgent } from './parse-relay.js';
export { parseTranscriptPage, parseTranscriptRecord } from './parse-transcripts.js';
export type { ParseResult } from './read-fields.js';
