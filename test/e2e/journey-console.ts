/**
 * How the journeys reach the agent console at /console/: signing in with a token and
 * finding tiles, the open chat, its actions and dialogs by role and accessible name,
 * as an agent with a screen reader would. Nothing of the console's internals is used.
 */
import type { Page } from 'playwright-core';

/** The console's controls on one page. */
export function consoleUi(page: Page) {
  const chat = page.locator('section.chat');
  return {
    tiles: page.getByRole('navigation', { name: 'Chats' }).getByRole('button'),
    /** The tile of a customer, by the name or email it shows. */
    tile: (who: string) => page.getByRole('navigation', { name: 'Chats' }).getByRole('button').filter({ hasText: who }),
    chat,
    transcript: page.getByRole('log', { name: 'Transcript' }),
    claim: page.getByRole('button', { name: 'Claim chat' }),
    reply: page.getByRole('textbox', { name: 'Reply to the customer' }),
    action: (name: 'Request file' | 'Transfer' | 'Invite' | 'Leave chat' | 'End chat' | 'Block') =>
      page.getByRole('group', { name: 'Chat actions' }).getByRole('button', { name, exact: true }),
    dialog: page.getByRole('dialog'),
    standing: chat.locator('.standing'),
    uploadPending: chat.locator('.upload-pending'),
    /** What waits for this agent's answer (offers, transfer requests, invitations). */
    incoming: page.getByRole('region', { name: 'Waiting for your answer' }),
    /** The card about one customer's chat, by the name or email it shows. */
    asked: (who: string) => page.getByRole('region', { name: 'Waiting for your answer' }).getByRole('listitem').filter({ hasText: who }),
    /** The owner's own transfer request or invitation that waits ("Waiting for Bob Stone to accept"). */
    outgoing: chat.locator('.outgoing'),
    status: page.getByLabel('Status'),
  };
}

/** Opens the console on `baseUrl` and signs in with `token`; resolves once the tiles show. */
export async function signInToConsole(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(baseUrl + '/console/');
  await page.getByLabel('Agent token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Chats' }).waitFor({ state: 'visible', timeout: 10_000 });
}
