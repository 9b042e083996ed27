/** `/api/auth/*` and `/api/me`: accounts, guests, sessions and renaming. */
import { and, eq, isNull } from 'drizzle-orm';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Context } from 'hono';
import {
  claimBody,
  guestBody,
  loginBody,
  registerBody,
  renameBody,
  usernameKey,
} from '../shared/api';
import { createUser, findUserByKey, renameUser, sha256, startSession, toMe } from './accounts';
import { sendVerification } from './account/email';
import { holdMs, releaseGuestName } from './account/name-hold';
import { hashGate } from './auth/hash-gate';
import { decoyHash, hashPassword, verifyPassword } from './auth/password';
import { announceRename } from './auth/rename';
import {
  clearedDeviceCookie,
  clearedSessionCookie,
  deviceCookie,
  DEVICE_COOKIE,
  sessionCookie,
} from './auth/session';
import type { AppEnv, Db, UserRow } from './context';
import { hubOf } from '../durable/hub-shards';
import { roomStub } from './access';
import * as schema from './db/schema';
import { ApiError } from './errors';
import { parseBody, requireUser } from './middleware';
import { clientKey, spendOrThrow, type Bucket } from './rate-buckets';
import { attemptKey, clearFailures, reserveAttempt, spendClientAttempt } from './throttle';

/** New guests per client (wrangler.toml: 10 at once, then 10 an hour). */
export function guestCreations(env: Env): Bucket {
  return {
    burst: Number(env.GUEST_BURST) || 10,
    perSecond: (Number(env.GUEST_PER_HOUR) || 10) / 3600,
  };
}
/** Renames per user: 3 at once, then one every 10 minutes. */
export const RENAMES: Bucket = { burst: 3, perSecond: 1 / 600 };

/**
 * zxcvbn and its dictionaries are imported here, on the first password set in an isolate,
 * not at its start: evaluating them and building the ranked dictionaries costs about 100 ms
 * of CPU (docs/bundle.md), which every cold isolate paid before it could answer anything,
 * socket upgrades included. Sign-ins only verify a hash and never need them.
 */
async function assertStrong(password: string, username: string): Promise<void> {
  const { passwordStrength } = await import('../shared/password-strength');
  const { reason } = passwordStrength(password, username);
  if (reason) throw new ApiError(400, 'weak_password', reason, 'password');
}

/** Starts a session, sets the cookie; the token is in the body only when `?token=1` asks. */
async function signedIn(c: Context<AppEnv>, user: UserRow, status: 200 | 201) {
  const { token, maxAge } = await startSession(c.var.db, c.env.SESSION_SECRET, user, undefined, {
    userAgent: c.req.header('user-agent'),
  });
  c.header('set-cookie', sessionCookie(token, maxAge), { append: true });
  const wantsToken = c.req.query('token') === '1';
  return c.json({ user: { ...toMe(user), ...(wantsToken && { token }) } }, status);
}

const INVALID = () => new ApiError(401, 'invalid_credentials', 'Wrong username or password');

export const auth = new Hono<AppEnv>()
  .post('/register', async (c) => {
    const body = await parseBody(c.req, registerBody);
    await assertStrong(body.password, body.username);
    const user = await hashGate.run(async () =>
      createUser(c.env, c.var.db, {
        username: body.username,
        passwordHash: await hashPassword(body.password),
        email: body.email?.toLowerCase(),
      }),
    );
    // An address given at sign-up is used for nothing until its link is opened.
    if (user.email) await sendVerification(c, user.id, user.email);
    return signedIn(c, user, 201);
  })
  .post('/login', async (c) => {
    const body = await parseBody(c.req, loginBody);
    const key = usernameKey(body.username);
    const client = clientKey(c.req.raw);
    const attempt = attemptKey(key, client);
    // The name's attempt is reserved before anything else, in one atomic statement, so
    // parallel guesses past the free ones are refused without a hash (see throttle.ts).
    await reserveAttempt(c.env.DB, attempt);
    const user = await hashGate.run(async () => {
      await spendClientAttempt(c.env.DB, client, key);
      const found = await findUserByKey(c.var.db, key);
      // Unknown users and guests still pay for one hash, so timing does not tell them apart.
      const stored = found?.passwordHash ?? (await decoyHash());
      const check = await verifyPassword(body.password, stored);
      if (!found?.passwordHash || !check.ok) throw INVALID();
      if (check.rehash) {
        const passwordHash = await hashPassword(body.password);
        await c.var.db
          .update(schema.users)
          .set({ passwordHash })
          .where(eq(schema.users.id, found.id));
      }
      return found;
    });
    await clearFailures(c.var.db, c.env.DB, attempt, client, key);
    return signedIn(c, user, 200);
  })
  .post('/guest', async (c) => {
    const { name } = await parseBody(c.req, guestBody);
    const returning = await deviceGuest(c);
    // The same browser and the same name: that guest again. Any other name is a new guest;
    // the form never renames anyone (`PATCH /api/me` does, explicitly).
    if (returning?.usernameKey === usernameKey(name)) return signedIn(c, returning, 200);
    await spendOrThrow(
      c.env.DB,
      `guest:${clientKey(c.req.raw)}`,
      guestCreations(c.env),
      'Too many new guests from this network',
    );
    const token = crypto.randomUUID() + crypto.randomUUID();
    const user = await createUser(c.env, c.var.db, {
      username: name,
      passwordHash: null,
      guestDeviceHash: await sha256(token),
    });
    c.header('set-cookie', deviceCookie(token), { append: true });
    return signedIn(c, user, 201);
  })
  .post('/logout', requireUser, async (c) => {
    const user = c.var.user;
    const ended = user.isGuest ? await endGuest(c.env, c.var.db, user.id) : [c.var.sessionId];
    if (!user.isGuest) {
      await c.var.db
        .update(schema.sessions)
        .set({ revokedAt: Date.now() })
        .where(and(eq(schema.sessions.id, c.var.sessionId), isNull(schema.sessions.revokedAt)));
    }
    await closeSessionSockets(c.env, c.var.db, user.id, ended);
    c.header('set-cookie', clearedSessionCookie(), { append: true });
    if (user.isGuest) c.header('set-cookie', clearedDeviceCookie(), { append: true });
    return c.json({ ok: true as const }, 200);
  })
  .post('/claim', requireUser, async (c) => {
    const { password } = await parseBody(c.req, claimBody);
    const user = c.var.user;
    if (!user.isGuest)
      throw new ApiError(409, 'bad_request', 'This account already has a password');
    await assertStrong(password, user.username);
    const passwordHash = await hashGate.run(() => hashPassword(password));
    const [claimed] = await c.var.db
      .update(schema.users)
      .set({ passwordHash, isGuest: false, guestDeviceHash: null })
      .where(eq(schema.users.id, user.id))
      .returning();
    c.header('set-cookie', clearedDeviceCookie(), { append: true });
    return c.json({ user: toMe(claimed!) }, 200);
  });

/** The guest this browser's device cookie names, if it is still bound to one. */
async function deviceGuest(c: Context<AppEnv>): Promise<UserRow | undefined> {
  const device = getCookie(c, DEVICE_COOKIE);
  if (!device) return undefined;
  return c.var.db.query.users.findFirst({
    where: and(
      eq(schema.users.guestDeviceHash, await sha256(device)),
      eq(schema.users.isGuest, true),
    ),
  });
}

/**
 * A guest who signs out is gone from this browser: the device no longer leads back to them
 * and every session of theirs ends (a guest has no password to come back with), so their
 * name is released after the usual hold (`releaseGuestName`) and every chat of theirs is
 * told their new one. Returns the ended session ids.
 */
export async function endGuest(env: Env, db: Db, userId: string): Promise<string[]> {
  const now = Date.now();
  const user = await db.query.users.findFirst({
    columns: { id: true, username: true },
    where: eq(schema.users.id, userId),
  });
  const [revoked, , , released] = await env.DB.batch<{ id: string }>([
    env.DB.prepare(
      `UPDATE sessions SET revoked_at = ?2
       WHERE user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2 RETURNING id`,
    ).bind(userId, now),
    env.DB.prepare('UPDATE users SET guest_device_hash = NULL WHERE id = ?1').bind(userId),
    ...(user ? releaseGuestName(env.DB, env, user, now) : []),
  ]);
  if (released?.results.length) {
    const renamed = await db.query.users.findFirst({ where: eq(schema.users.id, userId) });
    if (renamed) await announceRename(env, db, renamed);
  }
  return revoked!.results.map((s) => s.id);
}

/** Logout really ends the sessions: their open sockets in the hub and every chat close. */
export async function closeSessionSockets(env: Env, db: Db, userId: string, sessionIds: string[]) {
  const rooms = await db
    .select({ roomId: schema.memberships.roomId })
    .from(schema.memberships)
    .where(eq(schema.memberships.userId, userId));
  await Promise.all(
    sessionIds.flatMap((sessionId) => [
      hubOf(env, userId).disconnectSession(sessionId),
      ...rooms.map((r) => roomStub(env, r.roomId).disconnectSession(sessionId)),
    ]),
  );
}

export const me = new Hono<AppEnv>()
  // A widget session's token is readable by the host page: no email address or time zone.
  .get('/', requireUser, (c) => {
    const user = toMe(c.var.user);
    return c.json(
      { user: c.var.widgetRoom ? { ...user, email: null, timeZone: null } : user },
      200,
    );
  })
  /** Renaming is this explicit request; every chat of the user and their hub shard are told. */
  .patch('/', requireUser, async (c) => {
    const { username } = await parseBody(c.req, renameBody);
    const user = c.var.user;
    if (username === user.username) return c.json({ user: toMe(user) }, 200);
    await spendOrThrow(c.env.DB, `rename:${user.id}`, RENAMES, 'Too many renames');
    const renamed = await renameUser(c.env, c.var.db, user, username, Date.now() + holdMs(c.env));
    await announceRename(c.env, c.var.db, renamed);
    return c.json({ user: toMe(renamed) }, 200);
  });
