/**
 * The console's root: sign-in until a token is accepted, then the top bar, what waits
 * for the agent's answer, the tiles, the messages customers left while nobody could
 * answer, and the open chat, or the History view in its place. It owns the quick-reply list, which of the two shows, and the tab title (what
 * wants the agent, counted); all chat state comes from the store, past chats from its
 * History store, and the sound and notification switches from the alerts.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleAlerts } from '../alerts.js';
import { loadQuickReplies, saveQuickReplies, type QuickReply, type ReplyStorage } from '../quick-replies.js';
import { useConsoleState, useNow } from '../hooks.js';
import { attentionCount, incomingOf } from '../routing-selectors.js';
import { leftMessagesOf, tilesOf } from '../selectors.js';
import type { ConsoleStore } from '../store.js';
import { errorText, titleText } from '../words.js';
import { BlocksPanel } from './blocks-panel.js';
import { ChatPane } from './chat-pane.js';
import { HistoryView } from './history-view.js';
import { Incoming } from './incoming.js';
import { LeftMessages } from './left-messages.js';
import { QuickRepliesPanel } from './quick-replies-panel.js';
import { SignIn } from './sign-in.js';
import { Tiles } from './tiles.js';
import { TopBar } from './top-bar.js';

/** Props of `App`. */
export interface AppProps {
  store: ConsoleStore;
  /** Where quick replies are kept (`localStorage`); `null` keeps them in memory. */
  replyStorage: ReplyStorage | null;
  /** The sound and desktop notifications (their switches show in the top bar); default none. */
  alerts?: ConsoleAlerts | null;
  /** The tab title without the count. Default "Parley console". */
  title?: string;
  /** Save downloaded files at once (browsers); tests leave it off. */
  autoSave?: boolean;
  /** The clock waiting times are measured with. Default `Date.now`. */
  clock?: () => number;
  /** How often waiting times refresh, in ms. Default 1,000. */
  tickMs?: number;
}

/** The whole console. */
export function App({ store, replyStorage, alerts, title = 'Parley console', autoSave, clock = Date.now, tickMs = 1000 }: AppProps) {
  const state = useConsoleState(store);
  const now = useNow(tickMs, clock);
  const [replies, setReplies] = useState<QuickReply[]>(() => loadQuickReplies(replyStorage));
  const [editing, setEditing] = useState(false);
  const [blocksOpen, setBlocksOpen] = useState(false);
  const [historyShown, setHistoryShown] = useState(false);
  /** The chat that was open before History showed, open again after. */
  const [returnTo, setReturnTo] = useState<string | null>(null);

  const tiles = tilesOf(state);
  const count = state.signedIn ? attentionCount(state, tiles) : 0;
  useEffect(() => {
    document.title = titleText(title, count);
  }, [title, count]);
  useEffect(() => {
    if (!state.signedIn) setHistoryShown(false);
  }, [state.signedIn]);

  if (!state.signedIn) return <SignIn error={state.error} onSignIn={(t) => store.signIn(t)} />;

  // While History shows, no chat is open: nothing is marked read behind it.
  const showHistory = (shown: boolean) => {
    if (shown === historyShown) return;
    setHistoryShown(shown);
    if (shown) setReturnTo(state.selectedId);
    store.select(shown ? null : returnTo);
  };
  const showPast = (show: (h: ConsoleStore['history']) => unknown) => {
    showHistory(true);
    void show(store.history);
  };

  const open = (id: string) => {
    setHistoryShown(false);
    store.select(id);
  };
  const chat = state.selectedId ? state.chats[state.selectedId] : undefined;
  const changeReplies = (list: QuickReply[]) => {
    setReplies(list);
    saveQuickReplies(replyStorage, list);
  };

  return (
    <div class="console">
      <TopBar
        state={state}
        historyShown={historyShown}
        alerts={alerts}
        onHistory={() => showHistory(!historyShown)}
        onStatus={(s) => void store.setStatus(s)}
        onQuickReplies={() => setEditing(true)}
        onBlocks={() => setBlocksOpen(true)}
        onSignOut={() => store.signOut()}
      />
      {state.error && (
        <p class="error banner" role="alert">
          {errorText(state.error)}
        </p>
      )}
      <div class="workspace">
        <div class="sidebar">
          <Incoming
            items={incomingOf(state)}
            now={now}
            onAccept={(id) => {
              setHistoryShown(false);
              void store.routing.accept(id);
            }}
            onDecline={(id) => void store.routing.decline(id)}
            onRead={open}
          />
          <Tiles tiles={tiles} selectedId={state.selectedId} now={now} onSelect={open} />
          <LeftMessages items={leftMessagesOf(state)} selectedId={state.selectedId} onSelect={open} />
        </div>
        <main class="chat-area">
          {historyShown ? (
            <HistoryView history={store.history} me={state.agent?.id} autoSave={autoSave} />
          ) : chat ? (
            <ChatPane
              key={chat.id}
              state={state}
              chat={chat}
              store={store}
              quickReplies={replies}
              now={now}
              autoSave={autoSave}
              onOpenPast={(id) => showPast((h) => h.open(id))}
              onSearchPast={(text) => showPast((h) => h.search({ text, from: '', to: '' }))}
            />
          ) : (
            <p class="empty">Pick a chat from the list to read it.</p>
          )}
        </main>
      </div>
      {editing && <QuickRepliesPanel replies={replies} onChange={changeReplies} onClose={() => setEditing(false)} />}
      {blocksOpen && <BlocksPanel store={store} onClose={() => setBlocksOpen(false)} />}
    </div>
  );
}
