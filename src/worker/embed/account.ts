/**
 * `/api/rooms/:id/widget-session`: a signed-in person lets one embedding site's widget chat
 * as them in one room. Called from Parlor's own popup (first-party, so the session cookie
 * is sent; the app's mutation guard refuses the POST from any other origin), never from the
 * host page. The session it makes is the same kind a visitor gets: scoped to that room and
 * that site (src/worker/embed/scope.ts), 30 days, listed among the person's sessions with
 * the site, and revocable there or by `Parlor('logout')`.
 */
import { Hono, type Context } from 'hono';
import { widgetSessionBody } from '../../shared/embed-origins';
import { startSession } from '../accounts';
import { roomAccess } from '../access';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { parseBody, parseInput, requireUser } from '../middleware';
import { confirmEmbedded, embeddedOn } from './origins';
import { switchVisitor } from './switch';

/** The room and site, checked: a listed site, a room the person may read. */
async function handoff(c: Context<AppEnv>, origin: string) {
  const user = c.var.user;
  if (user.isVisitor) {
    throw new ApiError(403, 'forbidden', 'Only a Parlor account can chat as itself on a site');
  }
  const room = await embeddedOn(c.env, c.req.param('id')!, origin);
  const { member } = await roomAccess(c.env.DB, room.id, user.id, c.env);
  return { room, member };
}

export const widgetSessions = new Hono<AppEnv>()
  .get('/:id/widget-session', requireUser, async (c) => {
    const { origin } = parseInput(widgetSessionBody, { origin: c.req.query('origin') });
    const { room, member } = await handoff(c, origin);
    return c.json({ room: { id: room.id, name: room.name }, origin, joins: !member }, 200);
  })
  .post('/:id/widget-session', requireUser, async (c) => {
    const { origin } = await parseBody(c.req, widgetSessionBody);
    const { room, member } = await handoff(c, origin);
    // Joining is its own step (the room's join, with its notice), taken in the popup first.
    if (!member) throw new ApiError(403, 'not_a_member', 'Join the room first');
    const { token, sessionId } = await startSession(
      c.var.db,
      c.env.SESSION_SECRET,
      c.var.user,
      { roomId: room.id, origin },
      { userAgent: c.req.header('user-agent') },
    );
    await confirmEmbedded(c.env, sessionId, room.id, origin);
    return c.json({ token, roomId: room.id, origin }, 201);
  })
  /** A visitor already chatting becomes the account the popup handed over (./switch.ts). */
  .post('/:id/widget-session/switch', requireUser, switchVisitor);
