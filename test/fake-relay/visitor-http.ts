/**
 * The fake relay's HTTP endpoints for customers, as msw `http` handlers: `GET
 * /v1/availability` answers what the test set (or 500 when it set `null`), and `POST
 * /v1/rating` takes one rating per chat, keeping it with the token it came with, and
 * refuses any after it with 409 `conflict`, as the relay does. Kept apart from the
 * socket so that each file has one job; the visitor endpoint holds what these read.
 */
import { http, HttpResponse } from 'msw';
import type { AvailabilityAnswer, RatingValue } from '../../src/protocol/index.js';

/** A rating the relay took: what was posted and the bearer token it came with. */
export interface TakenRating {
  value: RatingValue;
  comment?: string;
  token: string | null;
}

/** What the handlers read and write: the test's answer and the ratings taken. */
export interface VisitorHttpState {
  availability: AvailabilityAnswer | null;
  readonly ratings: TakenRating[];
}

/** The handlers, for `server.use`, of a relay at `base`. */
export function visitorHttp(base: string, state: VisitorHttpState) {
  return [
    http.get(`${base}/v1/availability`, () =>
      state.availability ? HttpResponse.json(state.availability) : HttpResponse.json({ error: { code: 'internal', message: 'down' } }, { status: 500 }),
    ),
    http.post(`${base}/v1/rating`, async ({ request }) => {
      if (state.ratings.length) return HttpResponse.json({ error: { code: 'conflict', message: 'rated already' } }, { status: 409 });
      const body = (await request.json()) as { value: RatingValue; comment?: string };
      state.ratings.push({ ...body, token: request.headers.get('authorization')?.replace(/^Bearer /, '') ?? null });
      return new HttpResponse(null, { status: 204 });
    }),
  ];
}
