/**
 * `Parlor('identify', token)`: a site that knows its users signs a short-lived JWT on its own
 * server with the room's identity secret (HS256; `sub`, `name`, optional `email`/`avatar`;
 * `aud` = the room's id; `exp` at most 10 minutes ahead) and the loader trades it here for a
 * visitor session as that user. One Parlor user per (room, sub): the secret is the room's, so
 * only its owner's site can name its users; another room's owner cannot sign as them. Such a
 * user is a guest whose name is not reserved (tagged "via <site>" wherever it shows, so never
 * mistaken for an account) and follows the site's name on each identify. The optional
 * `avatar` claim is validated and ignored: never fetched (no server-side fetch of URLs a site
 * names), stored or shown (the CSP allows no third-party images); docs/widget.md.
 */
import { eq, lt } from 'drizzle-orm';
import type { Context } from 'hono';
import { errors as joseErrors, jwtVerify } from 'jose';
import { guestBody } from '../../shared/api';
import { IDENTITY_TOKEN_MAX_SECONDS, identityClaims, identifyBody } from '../../shared/embed';
import * as z from 'zod/mini';
import { isUniqueViolation, pickColor, readFromNow, sha256, startSession, toMe } from '../accounts';
import { closeSessionSockets, endGuest } from '../auth';
import { assertNotPlaceholder } from '../account/name-hold';
import { announceRename } from '../auth/rename';
import { verifySession } from '../auth/session';
import type { Db, UserRow } from '../context';
import * as schema from '../db/schema';
import { ApiError } from '../errors';
import { parseBody, parseInput, sessionToken } from '../middleware';
import type { EmbedEnv } from './api';
import { openSecret } from './identity-secret';
import { confirmEmbedded } from './origins';

const refused = (why: string) => new ApiError(401, 'unauthorized', `Identity refused: ${why}`);

/** Verifies the token: algorithm pinned, audience the room, expiry present and near. */
async function verifiedClaims(env: Env, roomId: string, token: string) {
  const row = await env.DB.prepare('SELECT secret FROM room_identity_secrets WHERE room_id = ?1')
    .bind(roomId)
    .first<{ secret: string }>();
  if (!row) throw new ApiError(403, 'forbidden', 'This room has no identity secret');
  const key = await openSecret(env.SESSION_SECRET, row.secret);
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      audience: roomId,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw refused('the token has expired');
    if (err instanceof joseErrors.JWTClaimValidationFailed) {
      throw refused(
        err.claim === 'aud'
          ? 'the token’s audience is not this room'
          : `the token’s ${err.claim} claim is missing or invalid`,
      );
    }
    if (err instanceof joseErrors.JOSEAlgNotAllowed)
      throw refused('the token must be signed with HS256');
    throw refused('the token is not signed with this room’s secret');
  }
  if (payload.exp! - Date.now() / 1000 > IDENTITY_TOKEN_MAX_SECONDS) {
    throw refused('the token must expire within 10 minutes');
  }
  const claims = z.safeParse(identityClaims, payload);
  if (!claims.success) throw refused('the token needs a sub and a name');
  return { ...claims.data, expiresAt: payload.exp! * 1000 };
}

/** Each token once: its hash is kept until it expires (expired ones are dropped as we go). */
async function spendToken(db: Db, token: string, expiresAt: number): Promise<void> {
  const now = Date.now();
  const [, inserted] = await db.batch([
    db.delete(schema.usedIdentityTokens).where(lt(schema.usedIdentityTokens.expiresAt, now)),
    db
      .insert(schema.usedIdentityTokens)
      .values({ tokenHash: await sha256(token), expiresAt })
      .onConflictDoNothing()
      .returning(),
  ]);
  if (inserted.length === 0) throw refused('the token was already used');
}

/** The room's user for `sub`: made on first identify, renamed to follow the site after. */
async function identityUser(
  env: Env,
  db: Db,
  roomId: string,
  site: string,
  claims: { sub: string; name: string; email?: string },
): Promise<UserRow> {
  const identityKey = `${roomId}:${claims.sub}`;
  const found = await db.query.users.findFirst({
    where: eq(schema.users.identityKey, identityKey),
  });
  if (found) {
    const same =
      found.username === claims.name &&
      found.email === (claims.email ?? null) &&
      found.visitorSite === site;
    if (same) return found;
    const [renamed] = await db
      .update(schema.users)
      .set({ username: claims.name, email: claims.email ?? null, visitorSite: site })
      .where(eq(schema.users.id, found.id))
      .returning();
    // The site shows beside the name: a new one is announced like a new name.
    if (renamed!.username !== found.username || renamed!.visitorSite !== found.visitorSite) {
      await announceRename(env, db, renamed!);
    }
    return renamed!;
  }
  const id = crypto.randomUUID();
  const user: UserRow = {
    id,
    username: claims.name,
    // Not the name's key or skeleton: a site's user does not reserve a name in Parlor.
    usernameKey: `identity:${id}`,
    nameSkeleton: `identity:${id}`,
    passwordHash: null,
    email: claims.email ?? null,
    color: pickColor(),
    isGuest: true,
    guestDeviceHash: null,
    isVisitor: true,
    identityKey,
    visitorSite: site,
    createdAt: Date.now(),
    emailVerifiedAt: null,
    deletedAt: null,
    profile: null,
    displaySkeleton: '',
    timeZone: null,
    readReceipts: true,
  };
  try {
    await db.batch([
      db.insert(schema.users).values(user),
      db
        .insert(schema.memberships)
        .values({ roomId, userId: id, joinedAt: user.createdAt, readSeq: readFromNow(roomId) }),
    ]);
    return user;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  // A parallel identify of the same sub made the user first: use theirs.
  const existing = await db.query.users.findFirst({
    where: eq(schema.users.identityKey, identityKey),
  });
  if (!existing) throw new ApiError(500, 'internal', 'Could not make the user');
  return existing;
}

/**
 * The token's `name` claim, held to the rules of every name (guestBody); refused as that claim
 * (field `name`, "The token's name …"), not as a username the site never sent.
 */
function identityName(claimed: string): string {
  try {
    return parseInput(guestBody, { name: claimed }).name;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const why = err.message.replace(/^Username /, '');
    throw new ApiError(err.status, err.code, `The token's name ${why}`, 'name');
  }
}

export async function identify(c: Context<EmbedEnv>) {
  const { token } = await parseBody(c.req, identifyBody);
  const room = c.var.embedRoom;
  const claims = await verifiedClaims(c.env, room.id, token);
  const name = identityName(claims.name);
  // A site's user reserves no name (any may share theirs) but may not pass for a departed one.
  assertNotPlaceholder(name, 'name');
  await spendToken(c.var.db, token, claims.expiresAt);
  const user = await identityUser(c.env, c.var.db, room.id, c.var.embedOrigin, {
    ...claims,
    name,
  });
  const session = await startSession(c.var.db, c.env.SESSION_SECRET, user, {
    roomId: room.id,
    origin: c.var.embedOrigin,
  });
  await confirmEmbedded(c.env, session.sessionId, room.id, c.var.embedOrigin);
  // The anonymous visitor this browser chatted as until now is over: a copy of its token
  // must not keep chatting under the name the person just left.
  const replaced = await anonymousVisitorOf(c, room.id);
  if (replaced && replaced !== user.id) {
    await closeSessionSockets(c.env, c.var.db, replaced, await endGuest(c.env, c.var.db, replaced));
  }
  return c.json({ user: { ...toMe(user), token: session.token } }, 200);
}

/**
 * The anonymous visitor whose token the loader sent along (`Authorization`), if it is a live
 * session made on this site for this room; null for anything else, which identify ignores.
 */
async function anonymousVisitorOf(c: Context<EmbedEnv>, roomId: string): Promise<string | null> {
  const bearer = sessionToken(c.req.raw, undefined);
  if (!bearer) return null;
  const claims = await verifySession(c.env.SESSION_SECRET, bearer).catch(() => null);
  if (!claims) return null;
  const row = await c.env.DB.prepare(
    `SELECT u.id FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ?1 AND s.user_id = ?2 AND s.revoked_at IS NULL AND s.expires_at > ?3
       AND s.embed_room_id = ?4 AND s.embed_origin = ?5
       AND u.is_visitor = 1 AND u.identity_key IS NULL`,
  )
    .bind(claims.sessionId, claims.userId, Date.now(), roomId, c.var.embedOrigin)
    .first<{ id: string }>();
  return row?.id ?? null;
}
