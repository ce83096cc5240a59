/**
 * The console's root: sign-in until a token is accepted, then the top bar, the tiles
 * and the open chat. It owns the quick-reply list and the tab title; all chat state
 * comes from the store.
 */
import { useEffect, useState } from 'preact/hooks';
import { loadQuickReplies, saveQuickReplies, type QuickReply, type ReplyStorage } from '../quick-replies.js';
import { useConsoleState, useNow } from '../hooks.js';
import { tilesOf } from '../selectors.js';
import type { ConsoleStore } from '../store.js';
import { errorText, titleText } from '../words.js';
import { BlocksPanel } from './blocks-panel.js';
import { ChatPane } from './chat-pane.js';
import { QuickRepliesPanel } from './quick-replies-panel.js';
import { SignIn } from './sign-in.js';
import { Tiles } from './tiles.js';
import { TopBar } from './top-bar.js';

/** Props of `App`. */
export interface AppProps {
  store: ConsoleStore;
  /** Where quick replies are kept (`localStorage`); `null` keeps them in memory. */
  replyStorage: ReplyStorage | null;
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
export function App({ store, replyStorage, title = 'Parley console', autoSave, clock = Date.now, tickMs = 1000 }: AppProps) {
  const state = useConsoleState(store);
  const now = useNow(tickMs, clock);
  const [replies, setReplies] = useState<QuickReply[]>(() => loadQuickReplies(replyStorage));
  const [editing, setEditing] = useState(false);
  const [blocksOpen, setBlocksOpen] = useState(false);

  useEffect(() => {
    document.title = titleText(title, state.backgroundCount);
  }, [title, state.backgroundCount]);

  if (!state.signedIn) return <SignIn error={state.error} onSignIn={(t) => store.signIn(t)} />;

  const tiles = tilesOf(state);
  const chat = state.selectedId ? state.chats[state.selectedId] : undefined;
  const changeReplies = (list: QuickReply[]) => {
    setReplies(list);
    saveQuickReplies(replyStorage, list);
  };

  return (
    <div class="console">
      <TopBar
        state={state}
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
        <Tiles tiles={tiles} selectedId={state.selectedId} now={now} onSelect={(id) => store.select(id)} />
        <main class="chat-area">
          {chat ? (
            <ChatPane key={chat.id} state={state} chat={chat} store={store} quickReplies={replies} autoSave={autoSave} />
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
