/**
 * "Earlier chats" in the open chat: the customer's ended chats with the same email
 * (ignoring case), newest first, each with when it ended and how it went, each opening
 * in the History view. Read when the chat opens (the History store keeps them per email),
 * without the chat itself.
 */
import { useEffect, useId } from 'preact/hooks';
import { useHistoryState } from '../hooks.js';
import { earlierChatsOf } from '../history-state.js';
import { EARLIER_SHOWN, type HistoryStore } from '../history-store.js';
import { dateTimeText, historyWords, outcomeLabels } from '../words.js';

/** Props of `EarlierChats`. */
export interface EarlierChatsProps {
  history: Pick<HistoryStore, 'state' | 'subscribe' | 'loadEarlier'>;
  email: string;
  /** The open chat, left out of the list. */
  chatId: string;
  onOpen: (conversationId: string) => void;
  /** Shows every chat with this email in the History view. */
  onSearch: (text: string) => void;
}

/** The list of a customer's earlier chats. */
export function EarlierChats({ history, email, chatId, onOpen, onSearch }: EarlierChatsProps) {
  const state = useHistoryState(history);
  const titleId = useId();
  useEffect(() => {
    void history.loadEarlier(email);
  }, [history, email]);
  const earlier = earlierChatsOf(state, email, chatId, EARLIER_SHOWN);
  const items = earlier?.items ?? [];
  return (
    <section class="earlier" aria-labelledby={titleId}>
      <h3 id={titleId}>{historyWords.earlier}</h3>
      {items.length > 0 && (
        <ul>
          {items.map((r) => (
            <li key={r.conversationId}>
              <button type="button" class="link" onClick={() => onOpen(r.conversationId)}>
                <time dateTime={r.endedAt}>{dateTimeText(r.endedAt)}</time> · {outcomeLabels[r.status]}
              </button>
            </li>
          ))}
        </ul>
      )}
      {(!earlier || earlier.status === 'loading') && items.length === 0 && <p class="hint">{historyWords.loading}</p>}
      {earlier?.status === 'ready' && items.length === 0 && <p class="hint">{historyWords.earlierNone}</p>}
      {earlier?.status === 'failed' && (
        <p class="hint">
          {historyWords.earlierFailed}{' '}
          <button type="button" class="link" onClick={() => void history.loadEarlier(email)}>
            {historyWords.retry}
          </button>
        </p>
      )}
      {earlier?.more && (
        <button type="button" class="link" onClick={() => onSearch(email)}>
          {historyWords.earlierMore}
        </button>
      )}
    </section>
  );
}
