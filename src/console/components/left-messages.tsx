/**
 * Messages: the chats customers left as a message while nobody could answer, apart
 * from the live queue's tiles, oldest first. Each shows the customer (name or email,
 * the email marked verified or not), when they left it and, once the console has read
 * it, the first line of their message; opening one shows the whole of it with Answer.
 * The heading counts them: the quiet sign of a new one (no sound, no title count).
 */
import { useId } from 'preact/hooks';
import type { Tile } from '../console-state.js';
import { firstLineOf } from '../left-messages.js';
import { requestedAtOf } from '../selectors.js';
import { dateTimeText, leftCountText, leftMessageWords } from '../words.js';
import { CustomerLines } from './customer-lines.js';
import { Typed } from './typed.js';

/** Props of `LeftMessages`. */
export interface LeftMessagesProps {
  /** The left messages still waiting (`leftMessagesOf`), oldest first. */
  items: readonly Tile[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

function Entry({ tile, selected, onSelect }: { tile: Tile; selected: boolean; onSelect: (id: string) => void }) {
  const { chat } = tile;
  const visitor = chat.state.visitor ?? chat.summary?.visitor;
  const at = requestedAtOf(chat);
  const line = chat.leftText === null ? '' : firstLineOf(chat.leftText);
  return (
    <button type="button" class="left-message" data-id={chat.id} aria-current={selected ? 'true' : undefined} onClick={() => onSelect(chat.id)}>
      <CustomerLines visitor={visitor} kind="left-message" />
      <span class="left-message-when">
        {leftMessageWords.left} <time dateTime={at}>{dateTimeText(at)}</time>
      </span>
      {line && (
        <span class="left-message-text">
          <Typed text={line} />
        </span>
      )}
    </button>
  );
}

/** The Messages list, with its count. */
export function LeftMessages({ items, selectedId, onSelect }: LeftMessagesProps) {
  const titleId = useId();
  return (
    <nav class="left-messages" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {leftMessageWords.list}
        {items.length > 0 && (
          <>
            {' '}
            <span class="count" aria-hidden="true">
              {items.length}
            </span>
            <span class="sr-only"> ({leftCountText(items.length)})</span>
          </>
        )}
      </h2>
      {items.length === 0 ? (
        <p class="empty">{leftMessageWords.none}</p>
      ) : (
        <ul>
          {items.map((t) => (
            <li key={t.chat.id}>
              <Entry tile={t} selected={t.chat.id === selectedId} onSelect={onSelect} />
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
