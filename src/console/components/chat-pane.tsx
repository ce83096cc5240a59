/**
 * The open chat: who the customer is (the email marked unverified: the visitor typed
 * it) and which page they are on, where the chat stands (waiting, yours, taken by
 * someone else, ended), the actions that fit, the transcript, the pending file
 * request, the customer's typing, and the composer. Everything a person typed is
 * shown bidi-isolated (`Typed`).
 */
import type { QuickReply } from '../quick-replies.js';
import type { ChatView, ConsoleState } from '../console-state.js';
import { ownerIdOf, statusOf, takenBy } from '../selectors.js';
import type { ConsoleStore } from '../store.js';
import { errorText, type Piece } from '../words.js';
import { ChatActions } from './chat-actions.js';
import { Composer } from './composer.js';
import { Transcript } from './transcript.js';
import { Pieces, Typed } from './typed.js';
import { Unverified } from './unverified.js';

/** Props of `ChatPane`. */
export interface ChatPaneProps {
  state: ConsoleState;
  chat: ChatView;
  store: ConsoleStore;
  quickReplies: readonly QuickReply[];
  autoSave?: boolean;
}

function safeHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** One open chat. */
export function ChatPane({ state, chat, store, quickReplies, autoSave }: ChatPaneProps) {
  const me = state.agent?.id;
  const status = statusOf(chat);
  const mine = ownerIdOf(chat) === me && me !== undefined;
  const taken = takenBy(state, chat);
  const visitor = chat.state.visitor ?? chat.summary?.visitor ?? null;
  const page = chat.state.page ?? chat.summary?.page ?? null;
  const pageHref = page ? safeHref(page.url) : undefined;
  const upload = chat.state.openUpload;
  const id = chat.id;

  let standing: Piece[];
  if (status === 'ended') standing = ['This chat has ended.'];
  else if (taken) standing = [{ typed: taken }, ' took this chat'];
  else if (status === 'queued') standing = ['Waiting for an agent'];
  else standing = ['You are chatting with this customer'];

  return (
    <section class="chat" aria-labelledby={`chat-title-${id}`}>
      <header class="chat-header">
        <h2 id={`chat-title-${id}`}>
          <Typed text={visitor?.name || visitor?.email || 'Customer'} />
        </h2>
        <dl class="customer">
          <dt>Email</dt>
          <dd>
            {visitor?.email && (
              <>
                <Typed text={visitor.email} /> <Unverified />
              </>
            )}
          </dd>
          {visitor?.name && (
            <>
              <dt>Name</dt>
              <dd>
                <Typed text={visitor.name} />
              </dd>
            </>
          )}
          {page && (
            <>
              <dt>Page</dt>
              <dd>
                {pageHref ? (
                  <a href={pageHref} target="_blank" rel="noopener noreferrer">
                    <Typed text={page.title || page.url} />
                  </a>
                ) : (
                  <Typed text={page.title || page.url} />
                )}
                {page.title && (
                  <span class="page-url">
                    <Typed text={page.url} />
                  </span>
                )}
              </dd>
            </>
          )}
        </dl>
        <p class={taken || chat.claimLost ? 'standing standing--taken' : 'standing'} role="status">
          <Pieces pieces={standing} />
        </p>
        {status === 'queued' && !taken && (
          <button type="button" class="primary" disabled={chat.busy === 'claim'} onClick={() => void store.claim(id)}>
            Claim chat
          </button>
        )}
        {mine && status === 'active' && (
          <ChatActions
            me={me}
            agents={state.agents}
            busy={chat.busy}
            uploadOpen={upload !== null}
            onRequestUpload={(note) => store.requestUpload(id, note)}
            onTransfer={(to, note) => store.transfer(id, to, note)}
            onEnd={() => store.end(id)}
            onBlock={(comment, byAddress) => store.block(id, comment, byAddress)}
          />
        )}
        {mine && status === 'ended' && (
          <button type="button" onClick={() => store.dismiss(id)}>
            Close chat
          </button>
        )}
        {chat.error && (
          <p class="error" role="alert">
            {errorText(chat.error)}
          </p>
        )}
      </header>
      <Transcript
        chat={chat}
        me={me}
        autoSave={autoSave}
        onDownload={(fileId) => void store.download(id, fileId)}
        onRetry={(c) => store.retry(c)}
        onDiscard={(c) => store.discard(c)}
      />
      {upload && (
        <div class="upload-pending" role="status">
          <span>
            Waiting for a file from the customer
            {upload.note && (
              <>
                : <Typed text={upload.note} />
              </>
            )}
          </span>{' '}
          {mine && (
            <button type="button" disabled={chat.busy === 'cancel_upload'} onClick={() => void store.cancelUpload(id, upload.requestId)}>
              Cancel file request
            </button>
          )}
        </div>
      )}
      <p class="typing" aria-live="polite">
        {chat.visitorTyping && status !== 'ended' && (
          <>
            {visitor?.name ? <Typed text={visitor.name} /> : 'The customer'} is typing…
          </>
        )}
      </p>
      {status !== 'ended' && (
        <Composer
          key={id}
          canReply={mine && status === 'active'}
          quickReplies={quickReplies}
          onSend={(text) => store.send(id, text)}
          onNote={(text) => store.note(id, text)}
          onTyping={() => store.typing(id)}
        />
      )}
    </section>
  );
}
