/**
 * The History view, in place of the open chat: the search form and its results, or one
 * past chat read-only. It shows the newest ended chats until the agent searches. Focus
 * goes to the search box when the view opens, to a past chat's heading when one opens,
 * and back to the chat's button in the results when the agent goes back.
 */
import { useEffect, useId, useRef } from 'preact/hooks';
import { useHistoryState } from '../hooks.js';
import { ANY_CHAT } from '../history-state.js';
import type { HistoryStore } from '../history-store.js';
import { historyWords } from '../words.js';
import { HistoryResults } from './history-results.js';
import { HistorySearch } from './history-search.js';
import { PastChat } from './past-chat.js';

/** Props of `HistoryView`. */
export interface HistoryViewProps {
  history: Pick<HistoryStore, 'state' | 'subscribe' | 'search' | 'more' | 'open' | 'close' | 'download'>;
  /** This agent's id: their own words read "You". */
  me: string | undefined;
  autoSave?: boolean;
}

/** History: search ended chats and read one. */
export function HistoryView({ history, me, autoSave }: HistoryViewProps) {
  const state = useHistoryState(history);
  const titleId = useId();
  const searchBox = useRef<HTMLInputElement>(null);
  const results = useRef<HTMLDivElement>(null);
  /** The chat last opened from the results, to return focus to. */
  const opened = useRef<string | null>(null);
  useEffect(() => {
    if (!history.state.search) void history.search(ANY_CHAT);
  }, [history]);
  const reading = state.open !== null;
  useEffect(() => {
    if (reading) return;
    const back = [...(results.current?.querySelectorAll<HTMLElement>('button[data-id]') ?? [])].find((b) => b.dataset['id'] === opened.current);
    (back ?? searchBox.current)?.focus();
  }, [reading]);

  if (state.open) {
    return <PastChat open={state.open} me={me} autoSave={autoSave} onBack={() => history.close()} onDownload={(f) => void history.download(f)} />;
  }
  const search = state.search;
  return (
    <section class="history" aria-labelledby={titleId}>
      <h2 id={titleId}>{historyWords.view}</h2>
      <HistorySearch
        query={search?.query ?? ANY_CHAT}
        dateError={search?.error?.field === 'to' ? search.error : null}
        inputRef={searchBox}
        onSearch={(q) => void history.search(q)}
      />
      <div ref={results}>
        <HistoryResults
          search={search}
          onOpen={(id) => {
            opened.current = id;
            void history.open(id);
          }}
          onMore={() => void history.more()}
        />
      </div>
    </section>
  );
}
