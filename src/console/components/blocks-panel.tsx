/**
 * The Blocks panel: every block in force, who and where it refuses, until when, and
 * why, with a button to lift each. Blocks expire by themselves after 30 days; this is
 * for the mistaken ones and the ones that should end sooner.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BlockInfo } from '../../protocol/index.js';
import type { ConsoleError } from '../connection.js';
import type { ConsoleStore } from '../store.js';
import { errorText } from '../words.js';
import { Dialog } from './dialog.js';
import { Typed } from './typed.js';

/** Props of `BlocksPanel`. */
export interface BlocksPanelProps {
  store: Pick<ConsoleStore, 'readBlocks' | 'liftBlock'>;
  onClose: () => void;
}

const day = (iso: string): string => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** The list of blocks, as a dialog. */
export function BlocksPanel({ store, onClose }: BlocksPanelProps) {
  const [blocks, setBlocks] = useState<BlockInfo[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ConsoleError | null>(null);
  const load = async () => {
    const r = await store.readBlocks();
    if ('error' in r) setError(r.error);
    else {
      setBlocks(r.blocks);
      setMore(r.more);
      setError(null);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const lift = async (id: string) => {
    const refused = await store.liftBlock(id);
    // Already lifted or expired elsewhere: the list is simply read again.
    if (refused && refused.code !== 'not_found') setError(refused);
    await load();
  };
  return (
    <Dialog title="Blocked customers" confirmLabel="Done" onCancel={onClose} onConfirm={onClose}>
      {error && (
        <p class="error" role="alert">
          {errorText(error)}
        </p>
      )}
      {blocks === null && !error && <p class="hint">Loading…</p>}
      {blocks?.length === 0 && <p class="hint">Nobody is blocked.</p>}
      {blocks && blocks.length > 0 && (
        <ul class="blocks">
          {blocks.map((b) => (
            <li key={b.id}>
              <span class="block-who">
                {b.byAddress ? (
                  <>Everyone at {b.address}</>
                ) : (
                  <>
                    <Typed text={b.email} /> from {b.address}
                  </>
                )}
              </span>
              <span class="hint"> until {day(b.expiresAt)}</span>
              {b.comment && (
                <span class="block-comment">
                  {' '}
                  “<Typed text={b.comment} />”
                </span>
              )}
              <button type="button" onClick={() => void lift(b.id)}>
                Lift block on {b.byAddress ? b.address : b.email}
              </button>
            </li>
          ))}
        </ul>
      )}
      {more && <p class="hint">Older blocks are not shown; lifting some brings them into view.</p>}
    </Dialog>
  );
}
