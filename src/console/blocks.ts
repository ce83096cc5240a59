/**
 * The blocks in force, as the console's Blocks panel shows them: read with `blocks`,
 * lifted with `unblock`. Apart from the chat store because blocks belong to no chat.
 */
import type { BlockInfo } from '../protocol/index.js';
import type { AgentConnection, ConsoleError } from './connection.js';

/** Blocks newest first, or the error that stopped the reading. */
export async function readBlocks(conn: AgentConnection): Promise<{ blocks: BlockInfo[]; more: boolean } | { error: ConsoleError }> {
  try {
    const ok = await conn.request({ t: 'blocks' });
    return { blocks: ok.blocks ?? [], more: ok.more === true };
  } catch (e) {
    return { error: e as ConsoleError };
  }
}

/** Lifts one block; the error when the relay refused (`not_found`: already lifted or expired). */
export async function liftBlock(conn: AgentConnection, blockId: string): Promise<ConsoleError | null> {
  try {
    await conn.request({ t: 'unblock', blockId });
    return null;
  } catch (e) {
    return e as ConsoleError;
  }
}
