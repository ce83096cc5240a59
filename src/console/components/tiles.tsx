/**
 * The chat tiles, oldest first: unassigned chats with their waiting time counting up,
 * the agent's own chats, and ended ones until closed; a badge counts unread customer
 * messages on tiles not in view. The customer's name and email are shown isolated,
 * the email marked as unverified.
 */
import type { Tile } from '../console-state.js';
import { requestedAtOf } from '../selectors.js';
import { durationText } from '../words.js';
import { Typed } from './typed.js';
import { Unverified } from './unverified.js';

/** Props of `Tiles`. */
export interface TilesProps {
  tiles: readonly Tile[];
  selectedId: string | null;
  now: number;
  onSelect: (id: string) => void;
}

const kindLabel = { unassigned: 'Waiting', own: 'Your chat', ended: 'Ended' } as const;

/** The list of tiles. */
export function Tiles({ tiles, selectedId, now, onSelect }: TilesProps) {
  return (
    <nav class="tiles" aria-label="Chats">
      <h2>Chats</h2>
      {tiles.length === 0 ? (
        <p class="empty">No chats waiting.</p>
      ) : (
        <ul>
          {tiles.map(({ chat, kind, unread }) => {
            const visitor = chat.state.visitor ?? chat.summary?.visitor;
            const since = Date.parse(requestedAtOf(chat));
            return (
              <li key={chat.id}>
                <button
                  type="button"
                  class={`tile tile--${kind}`}
                  aria-current={chat.id === selectedId ? 'true' : undefined}
                  onClick={() => onSelect(chat.id)}
                >
                  <span class="tile-name">
                    <Typed text={visitor?.name || visitor?.email || 'Customer'} />
                  </span>
                  {visitor?.email && (
                    <span class="tile-email">
                      {visitor.name && (
                        <>
                          <Typed text={visitor.email} />{' '}
                        </>
                      )}
                      <Unverified />
                    </span>
                  )}
                  <span class="tile-status">
                    {kind === 'unassigned' && !Number.isNaN(since)
                      ? `Waiting ${durationText(now - since)}`
                      : kindLabel[kind]}
                  </span>
                  {unread > 0 && (
                    <span class="badge">
                      {unread}
                      <span class="sr-only">{unread === 1 ? ' unread message' : ' unread messages'}</span>
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
