/**
 * The History view's search form: one box for an email, a name or words, and the days
 * the chats ended between (the agent's days, both included). Holds what is typed until
 * it is submitted; a search begun elsewhere ("All chats with this email") fills it in.
 */
import type { Ref } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import { MAX_SEARCH_LENGTH } from '../../protocol/index.js';
import type { ConsoleError } from '../connection.js';
import type { HistoryQuery } from '../history-state.js';
import { errorText, historyWords } from '../words.js';

/** Props of `HistorySearch`. */
export interface HistorySearchProps {
  /** The query of the search shown. */
  query: HistoryQuery;
  /** A refusal of the days (the last before the first), shown by the fields. */
  dateError: ConsoleError | null;
  onSearch: (q: HistoryQuery) => void;
  /** The search box, for focus. */
  inputRef?: Ref<HTMLInputElement>;
}

/** The search form. */
export function HistorySearch({ query, dateError, onSearch, inputRef }: HistorySearchProps) {
  const [text, setText] = useState(query.text);
  const [from, setFrom] = useState(query.from);
  const [to, setTo] = useState(query.to);
  useEffect(() => {
    setText(query.text);
    setFrom(query.from);
    setTo(query.to);
  }, [query]);
  const textId = useId();
  const fromId = useId();
  const toId = useId();
  const errId = useId();
  return (
    <form
      class="history-search"
      role="search"
      aria-label={historyWords.searchLabel}
      onSubmit={(e) => {
        e.preventDefault();
        onSearch({ text, from, to });
      }}
    >
      <div class="field field--grow">
        <label for={textId}>{historyWords.search}</label>
        <input id={textId} ref={inputRef} type="search" maxLength={MAX_SEARCH_LENGTH} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <fieldset class="history-dates">
        <legend>{historyWords.dates}</legend>
        <div class="field">
          <label for={fromId}>{historyWords.from}</label>
          <input id={fromId} type="date" value={from} max={to || undefined} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={toId}>{historyWords.to}</label>
          <input
            id={toId}
            type="date"
            value={to}
            min={from || undefined}
            aria-invalid={dateError ? 'true' : undefined}
            aria-describedby={dateError ? errId : undefined}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </div>
      </fieldset>
      <button type="submit" class="primary">
        {historyWords.submit}
      </button>
      {dateError && (
        <p id={errId} class="error" role="alert">
          {errorText(dateError)}
        </p>
      )}
    </form>
  );
}
