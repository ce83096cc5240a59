/**
 * The open chat: who the customer is (the email marked unverified: the visitor typed
 * it), which page they are on and their earlier chats, where the chat stands (waiting,
 * a message left while nobody could answer, yours, yours with a guest, a guest in
 * someone else's, asked of you, taken by someone else, ended), the customer's rating,
 * Claim (Answer for a left message; either puts the caret in the reply once the chat
 * is theirs), the actions that fit this agent's part (the owner's, or a guest's Leave),
 * the transfer request or invitation the owner waits on, the transcript, the pending
 * file request, the customer's typing, Send file and the composer (owner and guests
 * send files and reply).
 * Everything a person typed is shown bidi-isolated (`Typed`).
 */
import { useRef } from 'preact/hooks';
import type { AgentRef } from '../../protocol/index.js';
import { useFileSends } from '../hooks.js';
import type { QuickReply } from '../quick-replies.js';
import type { ChatView, ConsoleState } from '../console-state.js';
import { askedOf, outgoingOf, roleOf } from '../routing-selectors.js';
import { ratingOfChat } from '../ratings.js';
import { failedUploadOf, guestsOf, isLeftMessage, ownerIdOf, requestedAtOf, statusOf, takenBy } from '../selectors.js';
import type { ConsoleStore } from '../store.js';
import { askedPieces, dateTimeText, errorText, leftMessageWords, routingWords, type Piece } from '../words.js';
import { ChatActions, DIALOG_ACTIONS } from './chat-actions.js';
import { Composer } from './composer.js';
import { CustomerDetails } from './customer-details.js';
import { EarlierChats } from './earlier-chats.js';
import { Outgoing } from './outgoing.js';
import { Rating } from './rating.js';
import { SendFile } from './send-file.js';
import { Transcript } from './transcript.js';
import { Pieces, Typed } from './typed.js';
import { UploadPending } from './upload-pending.js';

/** Props of `ChatPane`. */
export interface ChatPaneProps {
  state: ConsoleState;
  chat: ChatView;
  store: ConsoleStore;
  quickReplies: readonly QuickReply[];
  /** The clock countdowns are measured with (ms). */
  now: number;
  autoSave?: boolean;
  /** Opens one of the customer's earlier chats in the History view. */
  onOpenPast: (conversationId: string) => void;
  /** Searches the History view for this text (the customer's email). */
  onSearchPast: (text: string) => void;
}

/** Names as pieces of a sentence: "Bob Stone", "Bob Stone and Cy Park". */
function namePieces(agents: readonly AgentRef[]): Piece[] {
  return agents.flatMap((a, i): Piece[] => [...(i === 0 ? [] : [i === agents.length - 1 ? ' and ' : ', ']), { typed: a.name }]);
}

/** Where the chat stands for this agent, in a sentence. */
function standingOf(state: ConsoleState, chat: ChatView): Piece[] {
  const me = state.agent?.id;
  const status = statusOf(chat);
  const role = roleOf(state, chat);
  const others = guestsOf(chat).filter((g) => g.id !== me);
  const asked = askedOf(chat, me);
  const taken = takenBy(state, chat);
  const visitor = chat.state.visitor ?? chat.summary?.visitor;
  if (status === 'ended') return ['This chat has ended.'];
  if (role === 'owner') return ['You are chatting with this customer', ...(others.length ? [' together with ', ...namePieces(others)] : [])];
  if (role === 'guest') return ['You are a guest in this chat; ', { typed: taken ?? 'another agent' }, ' owns it'];
  if (asked) return askedPieces(asked.kind, asked.from, visitor?.name || visitor?.email || 'a customer');
  if (taken) return [{ typed: taken }, ' took this chat'];
  return [status === 'queued' && isLeftMessage(chat) ? leftMessageWords.waiting : 'Waiting for an agent'];
}

/** One open chat. */
export function ChatPane({ state, chat, store, quickReplies, now, autoSave, onOpenPast, onSearchPast }: ChatPaneProps) {
  const me = state.agent?.id;
  const status = statusOf(chat);
  const mine = ownerIdOf(chat) === me && me !== undefined;
  const role = roleOf(state, chat);
  const taken = role === null && !askedOf(chat, me) ? takenBy(state, chat) : null;
  const outgoing = outgoingOf(chat, me);
  const visitor = chat.state.visitor ?? chat.summary?.visitor ?? null;
  const page = chat.state.page ?? chat.summary?.page ?? null;
  const upload = chat.state.openUpload;
  const id = chat.id;
  const routing = store.routing;
  const files = store.files;
  const sends = useFileSends(files);
  const section = useRef<HTMLElement>(null);
  const leftMessage = status === 'queued' && isLeftMessage(chat);
  const rating = ratingOfChat(chat);
  const claim = async () => {
    // The claim button goes once the chat is theirs: the caret goes to the reply.
    if (await store.claim(id)) section.current?.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
  };

  return (
    <section ref={section} class="chat" aria-labelledby={`chat-title-${id}`}>
      <header class="chat-header">
        <h2 id={`chat-title-${id}`}>
          <Typed text={visitor?.name || visitor?.email || 'Customer'} />
        </h2>
        <CustomerDetails visitor={visitor} page={page} />
        {visitor?.email && (
          <EarlierChats history={store.history} email={visitor.email} chatId={id} onOpen={onOpenPast} onSearch={onSearchPast} />
        )}
        {leftMessage && (
          <p class="left-message-marker">
            <span aria-hidden="true">✉ </span>
            {leftMessageWords.marker} · <time dateTime={requestedAtOf(chat)}>{dateTimeText(requestedAtOf(chat))}</time>
          </p>
        )}
        <p class={taken || chat.claimLost ? 'standing standing--taken' : 'standing'} role="status">
          <Pieces pieces={standingOf(state, chat)} />
        </p>
        {rating && (
          <p class="chat-rating">
            <Rating rating={rating} />
          </p>
        )}
        {status === 'queued' && !taken && (
          <button type="button" class="primary" disabled={chat.busy === 'claim'} onClick={() => void claim()}>
            {leftMessage ? leftMessageWords.answer : 'Claim chat'}
          </button>
        )}
        {role === 'owner' && (
          <ChatActions
            me={me}
            agents={state.agents}
            busy={chat.busy}
            error={chat.error}
            uploadOpen={upload !== null}
            guests={guestsOf(chat)}
            asking={outgoing !== null}
            onRequestUpload={(note) => files.request(id, note)}
            onTransfer={(to, note) => routing.transfer(id, to, note)}
            onInvite={(to) => routing.invite(id, to)}
            onLeave={() => routing.leave(id)}
            onEnd={() => store.end(id)}
            onBlock={(comment, byAddress) => store.block(id, comment, byAddress)}
          />
        )}
        {role === 'guest' && (
          <div class="chat-actions" role="group" aria-label="Chat actions">
            <button type="button" disabled={chat.busy === 'leave'} onClick={() => void routing.leave(id)}>
              {routingWords.leave}
            </button>
          </div>
        )}
        {outgoing && <Outgoing outgoing={outgoing} now={now} busy={chat.busy === 'withdraw'} onWithdraw={() => void routing.withdraw(id)} />}
        {mine && status === 'ended' && (
          <button type="button" onClick={() => store.dismiss(id)}>
            Close chat
          </button>
        )}
        {chat.error && !(role === 'owner' && DIALOG_ACTIONS.includes(chat.error.action ?? '')) && (
          <p class="error" role="alert">
            {errorText(chat.error)}
          </p>
        )}
      </header>
      <Transcript
        chat={chat}
        me={me}
        myName={state.agent?.name}
        autoSave={autoSave}
        onDownload={(fileId) => void store.download(id, fileId)}
        onRetry={(c) => store.retry(c)}
        onDiscard={(c) => store.discard(c)}
      />
      {upload && (
        <UploadPending
          upload={upload}
          failed={failedUploadOf(chat)}
          canCancel={mine}
          busy={chat.busy === 'cancel_upload'}
          onCancel={() => void files.cancel(id, upload.requestId)}
        />
      )}
      <p class="typing" aria-live="polite">
        {chat.visitorTyping && status !== 'ended' && (
          <>
            {visitor?.name ? <Typed text={visitor.name} /> : 'The customer'} is typing…
          </>
        )}
      </p>
      {role !== null && status === 'active' && (
        <SendFile send={sends[id]} onPick={(f) => void files.send(id, f)} onStop={() => files.stop(id)} onDismiss={() => files.dismiss(id)} />
      )}
      {status !== 'ended' && (
        <Composer
          key={id}
          canReply={role !== null}
          quickReplies={quickReplies}
          onSend={(text) => store.send(id, text)}
          onNote={(text) => store.note(id, text)}
          onTyping={() => store.typing(id)}
        />
      )}
    </section>
  );
}
