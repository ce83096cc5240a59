/**
 * Who a chat is with, as a tile and a left message both show it: the customer's name
 * (or email, or "Customer"), then, when there is an email, a line with the email (when
 * the name took the first line) and whether it is verified. Both typed texts are
 * isolated. `kind` prefixes the classes (`tile-name`, `left-message-email`).
 */
import type { Visitor } from '../../protocol/index.js';
import { Typed } from './typed.js';
import { Unverified } from './unverified.js';

/** The name line and the email line, with classes `${kind}-name` and `${kind}-email`. */
export function CustomerLines({ visitor, kind }: { visitor: Visitor | null | undefined; kind: 'tile' | 'left-message' }) {
  return (
    <>
      <span class={`${kind}-name`}>
        <Typed text={visitor?.name || visitor?.email || 'Customer'} />
      </span>
      {visitor?.email && (
        <span class={`${kind}-email`}>
          {visitor.name && (
            <>
              <Typed text={visitor.email} />{' '}
            </>
          )}
          <Unverified verified={visitor.verified} />
        </span>
      )}
    </>
  );
}
