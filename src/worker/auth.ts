/** `/api/auth/*` and `/api/me`: accounts, guests and sessions. */
import { and, eq, isNull } from 'drizzle-orm';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { claimBody, guestBody, loginBody, registerBody, usernameKey } from '../shared/api';
import { passwordStrength } from '../shared/password-strength';
import {
  createUser,
  findUserByKey,
  isUniqueViolation,
  sha256,
  startSession,
  toMe,
  usernameTaken,
} from './accounts';
import { decoyHash, hashPassword, verifyPassword } from './auth/password';
import { clearedSessionCookie, deviceCookie, DEVICE_COOKIE, sessionCookie } from './auth/session';
import type { AppEnv, Db, UserRow } from './context';
import { lobbyStub, roomStub } from './access';
import * as schema from './db/schema';
import { ApiError } from './errors';
import { parseBody, requireUser } from './middleware';
import { assertNotThrottled, clearFailures, recordFailure } from './throttle';
import type { Context } from 'hono';

function assertStrong(password: string, username: string): void {
  const { reason } = passwordStrength(password, username);
  if (reason) throw new ApiError(400, 'weak_password', reason, 'password');
}

/** Starts a session, sets the cookie; the token is in the body only when `?token=1` asks. */
async function signedIn(c: Context<AppEnv>, user: UserRow, status: 200 | 201) {
  const { token, maxAge } = await startSession(c.var.db, c.env.SESSION_SECRET, user);
  c.header('set-cookie', sessionCookie(token, maxAge), { append: true });
  const wantsToken = c.req.query('token') === '1';
  return c.json({ user: { ...toMe(user), ...(wantsToken && { token }) } }, status);
}

const INVALID = () => new ApiError(401, 'invalid_credentials', 'Wrong username or password');

export const auth = new Hono<AppEnv>()
  .post('/register', async (c) => {
    const body = await parseBody(c.req, registerBody);
    assertStrong(body.password, body.username);
    const user = await createUser(c.var.db, {
      username: body.username,
      passwordHash: await hashPassword(body.password),
      email: body.email,
    });
    return signedIn(c, user, 201);
  })
  .post('/login', async (c) => {
    const body = await parseBody(c.req, loginBody);
    const key = usernameKey(body.username);
    await assertNotThrottled(c.var.db, key);
    const user = await findUserByKey(c.var.db, key);
    // Unknown users and guests still pay for one hash, so timing does not tell them apart.
    const check = await verifyPassword(body.password, user?.passwordHash ?? (await decoyHash()));
    if (!user?.passwordHash || !check.ok) {
      await recordFailure(c.var.db, key);
      throw INVALID();
    }
    await clearFailures(c.var.db, key);
    if (check.rehash) {
      const passwordHash = await hashPassword(body.password);
      await c.var.db.update(schema.users).set({ passwordHash }).where(eq(schema.users.id, user.id));
    }
    return signedIn(c, user, 200);
  })
  .post('/guest', async (c) => {
    const { name } = await parseBody(c.req, guestBody);
    const device = getCookie(c, DEVICE_COOKIE);
    if (device) {
      const known = await c.var.db.query.users.findFirst({
        where: and(
          eq(schema.users.guestDeviceHash, await sha256(device)),
          eq(schema.users.isGuest, true),
        ),
      });
      if (known) return signedIn(c, await renameGuest(c, known, name), 200);
    }
    const token = crypto.randomUUID() + crypto.randomUUID();
    const user = await createUser(c.var.db, {
      username: name,
      passwordHash: null,
      guestDeviceHash: await sha256(token),
    });
    c.header('set-cookie', deviceCookie(token), { append: true });
    return signedIn(c, user, 201);
  })
  .post('/logout', requireUser, async (c) => {
    await c.var.db
      .update(schema.sessions)
      .set({ revokedAt: Date.now() })
      .where(and(eq(schema.sessions.id, c.var.sessionId), isNull(schema.sessions.revokedAt)));
    await closeSessionSockets(c.env, c.var.db, c.var.user.id, c.var.sessionId);
    c.header('set-cookie', clearedSessionCookie());
    return c.json({ ok: true as const }, 200);
  })
  .post('/claim', requireUser, async (c) => {
    const { password } = await parseBody(c.req, claimBody);
    const user = c.var.user;
    if (!user.isGuest)
      throw new ApiError(409, 'bad_request', 'This account already has a password');
    assertStrong(password, user.username);
    const passwordHash = await hashPassword(password);
    const [claimed] = await c.var.db
      .update(schema.users)
      .set({ passwordHash, isGuest: false, guestDeviceHash: null })
      .where(eq(schema.users.id, user.id))
      .returning();
    return c.json({ user: toMe(claimed!) }, 200);
  });

/** Logout really ends the session: its open sockets in the lobby and every chat close. */
async function closeSessionSockets(env: Env, db: Db, userId: string, sessionId: string) {
  const rooms = await db
    .select({ roomId: schema.memberships.roomId })
    .from(schema.memberships)
    .where(eq(schema.memberships.userId, userId));
  await Promise.all([
    lobbyStub(env).disconnectSession(sessionId),
    ...rooms.map((r) => roomStub(env, r.roomId).disconnectSession(sessionId)),
  ]);
}

/** The same browser keeps its guest; typing a different free name renames it. */
async function renameGuest(c: Context<AppEnv>, guest: UserRow, name: string): Promise<UserRow> {
  if (name === guest.username) return guest;
  try {
    const [renamed] = await c.var.db
      .update(schema.users)
      .set({ username: name, usernameKey: usernameKey(name) })
      .where(eq(schema.users.id, guest.id))
      .returning();
    return renamed!;
  } catch (err) {
    if (isUniqueViolation(err)) throw usernameTaken();
    throw err;
  }
}

export const me = new Hono<AppEnv>().get('/', requireUser, (c) =>
  c.json({ user: toMe(c.var.user) }, 200),
);
