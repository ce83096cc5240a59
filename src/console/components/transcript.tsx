/**
 * A chat's transcript: customer and agent messages (each agent's named, for a
 * conference; this agent's own grey, everyone else's blue), notices, files with their
 * download buttons (the customer's, and those an agent sent, which say who: "Jane Doe
 * sent label.pdf", "You sent …"), internal notes (marked and coloured apart), and replies still on
 * their way.
 * Every string is rendered as text; names and file names bidi-isolated in a `<bdi>`,
 * each message and note in its own direction (`dir="auto"`, which isolates it too).
 */
import { useEffect, useRef } from 'preact/hooks';
import type { EventOf } from '../../protocol/index.js';
import type { ChatView, DownloadState } from '../console-state.js';
import { timelineOf } from '../timeline.js';
import { errorText, noticePieces, timeText } from '../words.js';
import { Pieces, Typed } from './typed.js';

/** Props of `Transcript`. */
export interface TranscriptProps {
  chat: ChatView;
  me: string | undefined;
  /** This agent's name, on their own messages. */
  myName?: string;
  onDownload: (fileId: string) => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  /** Click the save link as soon as a download is ready (the browser default). */
  autoSave?: boolean;
}

function FileRow({ event, me, download, onDownload, autoSave }: {
  event: EventOf<'file'>;
  me: string | undefined;
  download: DownloadState | undefined;
  onDownload: (fileId: string) => void;
  autoSave?: boolean;
}) {
  const link = useRef<HTMLAnchorElement>(null);
  const url = download?.status === 'ready' ? download.url : undefined;
  useEffect(() => {
    if (url && autoSave) link.current?.click();
  }, [url, autoSave]);
  const sent = event.from === 'agent';
  const mine = sent && event.agent?.id === me && me !== undefined;
  return (
    <li class={sent ? `file file--agent${mine ? ' file--mine' : ''}` : 'file'}>
      <span class="who">{sent ? 'File to the customer' : 'File from the customer'}</span>
      <span class="file-name">
        <Pieces pieces={noticePieces(event, me)} />
      </span>
      {url ? (
        <a ref={link} href={url} download={event.name}>
          Save <Typed text={event.name} />
        </a>
      ) : (
        <button type="button" disabled={download?.status === 'loading'} onClick={() => onDownload(event.fileId)}>
          {download?.status === 'loading' ? (
            'Downloading…'
          ) : (
            <>
              Download <Typed text={event.name} />
            </>
          )}
        </button>
      )}
      {download?.status === 'failed' && download.error && (
        <span class="error" role="alert">
          {errorText(download.error)}
        </span>
      )}
    </li>
  );
}

/** "Jane Doe (you)" on this agent's own messages. */
function Mine({ name }: { name: string | undefined }) {
  return name ? (
    <>
      <Typed text={name} /> (you)
    </>
  ) : (
    <>You</>
  );
}

/** The transcript of one chat. */
export function Transcript({ chat, me, myName, onDownload, onRetry, onDiscard, autoSave }: TranscriptProps) {
  const rows = timelineOf(chat);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [rows.length]);
  const visitorName = chat.state.visitor?.name || chat.state.visitor?.email || 'Customer';
  return (
    <div ref={box} class="transcript" role="log" aria-label="Transcript" tabIndex={0}>
      <ol>
        {rows.map((r) => {
          switch (r.kind) {
            case 'message': {
              const e = r.event;
              const mine = e.from === 'agent' && e.agent?.id === me;
              const who = e.from === 'visitor' ? visitorName : (e.agent?.name ?? 'Agent');
              return (
                <li key={r.key} class={mine ? 'msg msg--agent msg--mine' : `msg msg--${e.from}`}>
                  <span class="who">{mine ? <Mine name={myName} /> : <Typed text={who} />}</span>
                  <p class="text" dir="auto">
                    {e.text}
                  </p>
                  <time dateTime={e.at}>{timeText(e.at)}</time>
                  {e.from === 'agent' && chat.visitorReadUpTo >= e.seq && <span class="seen">Seen</span>}
                </li>
              );
            }
            case 'file':
              return (
                <FileRow
                  key={r.key}
                  event={r.event}
                  me={me}
                  download={chat.downloads[r.event.fileId]}
                  onDownload={onDownload}
                  autoSave={autoSave}
                />
              );
            case 'note':
              return (
                <li key={r.key} class="note">
                  <span class="who">
                    Internal note · {r.note.agent.id === me ? 'You' : <Typed text={r.note.agent.name} />}
                  </span>
                  <p class="text" dir="auto">
                    {r.note.text}
                  </p>
                  <time dateTime={r.note.at}>{timeText(r.note.at)}</time>
                </li>
              );
            case 'pending':
              return (
                <li key={r.key} class={`msg msg--agent msg--mine msg--${r.item.status}`}>
                  <span class="who">
                    <Mine name={myName} />
                  </span>
                  <p class="text" dir="auto">
                    {r.item.text}
                  </p>
                  {r.item.status === 'sending' ? (
                    <span class="delivery">Sending…</span>
                  ) : (
                    <span class="delivery">
                      <span class="error">Not sent{r.item.error ? `: ${errorText(r.item.error)}` : ''}</span>{' '}
                      <button type="button" onClick={() => onRetry(r.item.clientId)}>
                        Retry
                      </button>{' '}
                      <button type="button" onClick={() => onDiscard(r.item.clientId)}>
                        Discard
                      </button>
                    </span>
                  )}
                </li>
              );
            case 'notice':
              return (
                <li key={r.key} class="notice">
                  <Pieces pieces={noticePieces(r.event, me)} />
                </li>
              );
          }
        })}
      </ol>
    </div>
  );
}
