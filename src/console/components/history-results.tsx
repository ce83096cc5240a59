/**
 * The History view's results: a table of ended chats, newest end first, with the
 * customer (a button that opens the chat), when it ended, how it went, its agents, the
 * wait, the length and the customer's rating (its comment cut short); "More" reads the
 * next page. A status line says how many there
 * are, or that they are loading; a failure is an alert. Typed values are isolated.
 */
import type { HistorySearch } from '../history-state.js';
import { ratingOfRecord } from '../ratings.js';
import { dateTimeText, errorText, historyWords, outcomeLabels, ratingWords, resultCountText, secondsText } from '../words.js';
import { Rating } from './rating.js';
import { Typed } from './typed.js';

/** Props of `HistoryResults`. */
export interface HistoryResultsProps {
  search: HistorySearch | null;
  onOpen: (conversationId: string) => void;
  onMore: () => void;
}

function statusText(s: HistorySearch): string {
  if (s.status === 'loading') return historyWords.loading;
  if (s.status === 'failed') return '';
  return s.items.length === 0 ? historyWords.none : resultCountText(s.items.length, s.next !== null);
}

/** How long a rating's comment may be in the table before it is cut (the whole of it shows on hover and in the chat). */
const COMMENT_IN_LIST = 60;

function RatingCell({ rating }: { rating: ReturnType<typeof ratingOfRecord> }) {
  return rating ? <Rating rating={rating} maxComment={COMMENT_IN_LIST} bare /> : null;
}

/** The results of the last search. */
export function HistoryResults({ search, onOpen, onMore }: HistoryResultsProps) {
  if (!search) return null;
  // A refusal of the days is shown by the date fields.
  const error = search.error && search.error.field !== 'to' ? search.error : null;
  return (
    <div class="history-results">
      <p class="hint" role="status">
        {statusText(search)}
      </p>
      {error && (
        <p class="error" role="alert">
          {errorText(error)}
        </p>
      )}
      {search.items.length > 0 && (
        <table>
          <caption class="sr-only">{historyWords.results}</caption>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Ended</th>
              <th scope="col">Outcome</th>
              <th scope="col">Agents</th>
              <th scope="col">Wait</th>
              <th scope="col">Duration</th>
              <th scope="col">{ratingWords.label}</th>
            </tr>
          </thead>
          <tbody>
            {search.items.map((r) => (
              <tr key={r.conversationId}>
                <th scope="row">
                  <button type="button" class="link" data-id={r.conversationId} onClick={() => onOpen(r.conversationId)}>
                    {r.visitor.name && (
                      <span class="history-name">
                        <Typed text={r.visitor.name} />
                      </span>
                    )}{' '}
                    <span class="history-email">
                      <Typed text={r.visitor.email} />
                    </span>
                  </button>
                </th>
                <td>
                  <time dateTime={r.endedAt}>{dateTimeText(r.endedAt)}</time>
                </td>
                <td>{outcomeLabels[r.status]}</td>
                <td>
                  {r.agents.map((a, i) => (
                    <span key={a.id}>
                      {i > 0 && ', '}
                      <Typed text={a.name} />
                    </span>
                  ))}
                </td>
                <td>{secondsText(r.waitSeconds)}</td>
                <td>{secondsText(r.durationSeconds)}</td>
                <td>
                  <RatingCell rating={ratingOfRecord(r)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {search.next && search.status === 'ready' && (
        <button type="button" disabled={search.loadingMore} onClick={onMore}>
          {search.loadingMore ? historyWords.loading : historyWords.more}
        </button>
      )}
    </div>
  );
}
