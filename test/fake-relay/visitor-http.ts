/**
 * The fake relay's HTTP endpoints for customers, as msw `http` handlers: `GET
 * /v1/availability` answers what the test set (or 500 when it set `null`), and `POST
 * /v1/rating` rates a chat as the relay does (docs/protocol.md, "Other HTTP endpoints"):
 * 401 without a conversation's token; 409 `conflict` before the end, for a chat no agent
 * claimed or that ended blocked, or once rated; else 204, keeping the rating with its
 * token and logging `rated` in the model. Kept apart from the socket so that each file
 * has one job; the visitor endpoint holds what these read.
 */
import { http, HttpResponse } from 'msw';
import type { AvailabilityAnswer, ErrorCode, RatingValue } from '../../src/protocol/index.js';
import { foldAgentLog } from '../../src/protocol/index.js';
import type { RelayModel } from './model.js';

/** A rating the relay took: what was posted and the bearer token it came with. */
export interface TakenRating {
  value: RatingValue;
  comment?: string;
  token: string | null;
}

/** What the handlers read and write: the test's answer, the chats' model and the ratings taken. */
export interface VisitorHttpState {
  availability: AvailabilityAnswer | null;
  readonly model: RelayModel;
  readonly ratings: TakenRating[];
}

/** The relay's error body with `status`. */
const refuse = (status: number, code: ErrorCode, message: string) => HttpResponse.json({ error: { code, message } }, { status });

/** Why the chat cannot be rated now (the relay's order of checks), or `null` when it can. */
function conflict(model: RelayModel, id: string): string | null {
  const { log } = model.conversation(id);
  const s = foldAgentLog(log);
  if (s.status !== 'ended') return 'a chat is rated once it has ended';
  if (s.rating) return 'this chat has been rated already';
  if (s.ended?.reason === 'blocked') return 'a blocked chat is not rated';
  if (!log.some((e) => e.type === 'claimed')) return 'no agent took this chat: there is nothing to rate';
  return null;
}

/** The handlers, for `server.use`, of a relay at `base`. */
export function visitorHttp(base: string, state: VisitorHttpState) {
  return [
    http.get(`${base}/v1/availability`, () =>
      state.availability ? HttpResponse.json(state.availability) : HttpResponse.json({ error: { code: 'internal', message: 'down' } }, { status: 500 }),
    ),
    http.post(`${base}/v1/rating`, async ({ request }) => {
      const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? null;
      const c = [...state.model.conversations.values()].find((x) => x.token === token);
      if (!token || !c) return refuse(401, 'unauthorized', 'a visitor token is required');
      const body = (await request.json()) as { value: RatingValue; comment?: string };
      const why = conflict(state.model, c.id);
      if (why) return refuse(409, 'conflict', why);
      state.ratings.push({ ...body, token });
      state.model.append(c.id, { type: 'rated', value: body.value, ...(body.comment ? { comment: body.comment } : {}) });
      return new HttpResponse(null, { status: 204 });
    }),
  ];
}
