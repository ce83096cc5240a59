/**
 * One past chat in the History view, read-only: who the customer was and where, when
 * the chat was asked for and ended, how it went and who ended it, its agents, the wait
 * and the length, the customer's rating, then its transcript (the live chats' component: messages, notices,
 * files to download, internal notes marked as notes). No composer, no actions. The
 * heading takes focus when it opens, so a screen reader starts there.
 */
import { useEffect, useId, useMemo, useRef } from 'preact/hooks';
import type { OpenPastChat } from '../history-state.js';
import { pastChatView } from '../past-chat.js';
import { ratingOfChat, ratingOfRecord } from '../ratings.js';
import { dateTimeText, endedByText, errorText, historyWords, outcomeLabels, ratingWords, secondsText } from '../words.js';
import { CustomerDetails } from './customer-details.js';
import { Rating } from './rating.js';
import { Transcript } from './transcript.js';
import { Typed } from './typed.js';

/** Props of `PastChat`. */
export interface PastChatProps {
  open: OpenPastChat;
  /** This agent's id: their own words read "You". */
  me: string | undefined;
  autoSave?: boolean;
  onBack: () => void;
  onDownload: (fileId: string) => void;
}

const nothing = (): void => {};

/** The past chat open in History. */
export function PastChat({ open, me, autoSave, onBack, onDownload }: PastChatProps) {
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [open.id]);
  const r = open.record;
  const chat = useMemo(() => (r ? pastChatView(r, open.downloads) : null), [r, open.downloads]);
  // The agents' fold of its log, or the record's own word when the log has no `rated`.
  const rating = chat ? (ratingOfChat(chat) ?? (r ? ratingOfRecord(r) : null)) : null;
  return (
    <section class="chat past-chat" aria-labelledby={titleId}>
      <header class="chat-header">
        <button type="button" onClick={onBack}>
          {historyWords.back}
        </button>
        <h2 id={titleId} ref={heading} tabIndex={-1}>
          {r ? <Typed text={r.visitor.name || r.visitor.email} /> : 'Past chat'}
        </h2>
        {open.status === 'loading' && (
          <p class="hint" role="status">
            {historyWords.loading}
          </p>
        )}
        {open.status === 'failed' && open.error && (
          <p class="error" role="alert">
            {errorText(open.error)}
          </p>
        )}
        {r && (
          <>
            <CustomerDetails visitor={r.visitor} page={r.page}>
              <dt>Asked</dt>
              <dd>
                <time dateTime={r.requestedAt}>{dateTimeText(r.requestedAt)}</time>
              </dd>
              <dt>Ended</dt>
              <dd>
                <time dateTime={r.endedAt}>{dateTimeText(r.endedAt)}</time>
              </dd>
              <dt>Outcome</dt>
              <dd>
                {outcomeLabels[r.status]}. {endedByText(r)}
              </dd>
              {r.agents.length > 0 && (
                <>
                  <dt>Agents</dt>
                  <dd>
                    {r.agents.map((a, i) => (
                      <span key={a.id}>
                        {i > 0 && ', '}
                        <Typed text={a.name} />
                      </span>
                    ))}
                  </dd>
                </>
              )}
              <dt>Wait</dt>
              <dd>{secondsText(r.waitSeconds)}</dd>
              <dt>Duration</dt>
              <dd>{secondsText(r.durationSeconds)}</dd>
              {rating && (
                <>
                  <dt>{ratingWords.label}</dt>
                  <dd class="chat-rating">
                    <Rating rating={rating} />
                  </dd>
                </>
              )}
            </CustomerDetails>
            <p class="standing">{historyWords.readOnly}</p>
          </>
        )}
      </header>
      {chat && <Transcript chat={chat} me={me} autoSave={autoSave} onDownload={onDownload} onRetry={nothing} onDiscard={nothing} />}
    </section>
  );
}
