/**
 * Widget visitors (issue 10): someone on a host page who asks for nothing but a name. A
 * visitor is a guest account that belongs to one embedded room (its only membership) with a
 * session scoped to that room and the site it was made on (src/worker/embed/scope.ts). The
 * token goes back to the widget's frame, which hands it to the host page's loader to keep
 * in the host's own storage: no third-party storage is needed to come back as the same
 * visitor.
 */
import { Hono } from 'hono';
import { guestBody } from '../../shared/api';
import { visitorBody, visitorPreviewQuery } from '../../shared/embed-origins';
import { createUser, startSession, toMe } from '../accounts';
import { guestCreations } from '../auth';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { parseBody, parseInput } from '../middleware';
import { historyStatement, toHistoryPage, type HistoryRow } from '../queries';
import { clientKey, spendOrThrow, type Bucket } from '../rate-buckets';
import { confirmEmbedded, embeddedOn } from './origins';

/** Messages a new visitor sees before writing. */
export const PREVIEW_MESSAGES = 20;

export const visitors = new Hono<AppEnv>()
  /**
   * The embedded room's latest messages, for a visitor who has not written yet (no session):
   * the room is public and its owner put it on that site, where anyone may read it. Deleted
   * messages and files (served only to a session) are left out.
   */
  .get('/preview', async (c) => {
    const query = parseInput(visitorPreviewQuery, c.req.query());
    // Read by anyone on the site, but not in a loop: the guest budget per client, lightly.
    await spendOrThrow(
      c.env.DB,
      `preview:${clientKey(c.req.raw)}`,
      PREVIEWS,
      'Too many previews from this network',
    );
    const room = await embeddedOn(c.env, query.room, query.origin);
    const { results } = await historyStatement(
      c.env.DB,
      room.id,
      undefined,
      PREVIEW_MESSAGES,
      '',
    ).all<HistoryRow>();
    const page = toHistoryPage(results, PREVIEW_MESSAGES, '');
    const messages = (page?.messages ?? [])
      .filter((m) => !m.deleted)
      .map(({ files: _files, ...m }) => m);
    return c.json({ messages }, 200);
  })
  .post('/', async (c) => {
    const body = await parseBody(c.req, visitorBody);
    const { name } = parseInput(guestBody, { name: body.name });
    const room = await embeddedOn(c.env, body.room, body.origin);
    // Visitors come from the same budget per client as guests: both are free accounts.
    await spendOrThrow(
      c.env.DB,
      `guest:${clientKey(c.req.raw)}`,
      guestCreations(c.env),
      'Too many new visitors from this network',
    );
    const user = await createUser(c.env, c.var.db, {
      username: name,
      passwordHash: null,
      visitorRoomId: room.id,
      visitorSite: body.origin,
    });
    const { token, sessionId } = await startSession(c.var.db, c.env.SESSION_SECRET, user, {
      roomId: room.id,
      origin: body.origin,
    });
    await confirmEmbedded(c.env, sessionId, room.id, body.origin);
    return c.json({ user: { ...toMe(user), token } }, 201);
  });

/** Previews per client: a burst, then a few a minute (a page load asks once). */
const PREVIEWS: Bucket = { burst: 30, perSecond: 0.5 };
