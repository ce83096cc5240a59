/**
 * What a person typed (a customer's name or email, an agent's name, a file name, a page
 * title or address, a note), shown bidi-isolated in a `<bdi>`: a right-to-left override
 * inside it cannot reorder the console's words around it ("‮gpj.exe joined the chat").
 * Always rendered as text.
 */
import type { Piece } from '../words.js';

/** One typed string, isolated. */
export function Typed({ text }: { text: string }) {
  return <bdi>{text}</bdi>;
}

/** A sentence of the console's words with the typed pieces isolated. */
export function Pieces({ pieces }: { pieces: readonly Piece[] }) {
  return <>{pieces.map((p) => (typeof p === 'string' ? p : <Typed text={p.typed} />))}</>;
}
