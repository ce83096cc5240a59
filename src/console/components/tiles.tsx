/**
 * The chat tiles, oldest first, as a support floor's "chats at a glance" has them: each
 * with the customer's initials, name (or email) and how long since they asked, ticking;
 * unassigned chats orange, the agent's own (and those they are a guest in) blue, the
 * open one in solid colour, ended ones grey until closed. At most `MAX_TILES` show; the
 * rest wait behind a "More" control. A badge counts unread customer messages on tiles
 * not in view. Names and emails are shown isolated, the email marked as unverified.
 */
import { useId, useState } from 'preact/hooks';
import type { Tile } from '../console-state.js';
import { initialsOf } from '../initials.js';
import { requestedAtOf } from '../selectors.js';
import { durationText } from '../words.js';
import { CustomerLines } from './customer-lines.js';

/** How many tiles show before the "More" control. */
export const MAX_TILES = 7;

/** Props of `Tiles`. */
export interface TilesProps {
  tiles: readonly Tile[];
  selectedId: string | null;
  now: number;
  onSelect: (id: string) => void;
}

const kindLabel = { unassigned: 'Waiting', message: 'Message', own: 'Your chat', guest: 'Guest', ended: 'Ended' } as const;

/** The status line of a tile: "Waiting 2:05", "Your chat · 12:40", "Ended". */
function statusText(kind: Tile['kind'], since: number, now: number): string {
  if (kind === 'ended' || Number.isNaN(since)) return kindLabel[kind];
  const waited = durationText(now - since);
  return kind === 'unassigned' ? `Waiting ${waited}` : `${kindLabel[kind]} · ${waited}`;
}

function TileButton({ tile, selected, now, onSelect }: { tile: Tile; selected: boolean; now: number; onSelect: (id: string) => void }) {
  const { chat, kind, unread } = tile;
  const visitor = chat.state.visitor ?? chat.summary?.visitor;
  return (
    <button type="button" class={`tile tile--${kind}`} aria-current={selected ? 'true' : undefined} onClick={() => onSelect(chat.id)}>
      <span class="avatar" aria-hidden="true">
        {initialsOf(visitor)}
      </span>
      <CustomerLines visitor={visitor} kind="tile" />
      <span class="tile-status">{statusText(kind, Date.parse(requestedAtOf(chat)), now)}</span>
      {unread > 0 && (
        <span class="badge">
          {unread}
          <span class="sr-only">{unread === 1 ? ' unread message' : ' unread messages'}</span>
        </span>
      )}
    </button>
  );
}

/** The list of tiles. */
export function Tiles({ tiles, selectedId, now, onSelect }: TilesProps) {
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  const hiddenCount = Math.max(0, tiles.length - MAX_TILES);
  const shown = expanded || hiddenCount === 0 ? tiles : tiles.slice(0, MAX_TILES);
  return (
    <nav class="tiles" aria-label="Chats">
      <h2>Chats</h2>
      {tiles.length === 0 ? (
        <p class="empty">No chats waiting.</p>
      ) : (
        <ul id={listId}>
          {shown.map((t) => (
            <li key={t.chat.id}>
              <TileButton tile={t} selected={t.chat.id === selectedId} now={now} onSelect={onSelect} />
            </li>
          ))}
        </ul>
      )}
      {hiddenCount > 0 && (
        <button type="button" class="more" aria-expanded={expanded} aria-controls={listId} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Fewer' : `More (${hiddenCount})`}
        </button>
      )}
    </nav>
  );
}
