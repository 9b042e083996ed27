/**
 * Profile routes (issue 12), each with its own session check so the sub-apps mounted after
 * this one do not check twice: change the profile, report away/active, a person's profile
 * card, a DM's read receipt, and avatar images.
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { presenceBody, profileBody, readStoredProfile } from '../../shared/profile';
import { nameTooSimilar, toMe, toUserRef } from '../accounts';
import { assertNotHeld } from '../account/name-hold';
import { releaseExpiredHolders } from '../account/expired-guests';
import { lookAlikeOf } from './display-names';
import { assertDmMember } from '../access';
import type { AppEnv, Db } from '../context';
import * as schema from '../db/schema';
import { ApiError } from '../errors';
import { parseBody, requireUser } from '../middleware';
import { avatarKey, dropObject, serveAvatar } from './avatars';
import { dmReads } from './receipts';
import { isGroupDm } from '../../shared/dm';
import { applyBody, changeProfile } from './update';

export const profiles = new Hono<AppEnv>()
  .patch('/me/profile', requireUser, async (c) => {
    const body = await parseBody(c.req, profileBody);
    const user = c.var.user;
    // Only a new display name is checked: one kept from before a rule existed (a look-alike,
    // a placeholder's start) does not block the person's other profile changes.
    if (body.displayName && body.displayName !== readStoredProfile(user.profile).displayName) {
      await releaseExpiredHolders(c.env, c.var.db, body.displayName);
      await assertNotSomeoneElse(c.var.db, user.id, body.displayName);
      await assertNotHeld(c.var.db, body.displayName, user.id, 'displayName');
    }
    const saved = await changeProfile(c.env, c.var.db, user, {
      profile: (p) => applyBody(p, body),
      timeZone: body.timeZone,
      readReceipts: body.readReceipts,
    });
    if (body.avatar === null) {
      const key = avatarKey(user.profile);
      if (key) await dropObject(c, key);
    }
    return c.json({ user: toMe(saved) }, 200);
  })
  /** An idle client says it is away, and active again on the next key or pointer move. */
  .put('/me/presence', requireUser, async (c) => {
    const { state } = await parseBody(c.req, presenceBody);
    const user = c.var.user;
    const away = state === 'away';
    // Reported again by another tab: nothing to change. (DND outranks away for others, so
    // the flag may change without an announcement: changeProfile compares what they see.)
    if (!!readStoredProfile(user.profile).away === away) return c.json({ user: toMe(user) }, 200);
    const saved = await changeProfile(c.env, c.var.db, user, {
      profile: (p) => {
        const next = { ...p };
        if (away) next.away = true;
        else delete next.away;
        return next;
      },
    });
    return c.json({ user: toMe(saved) }, 200);
  })
  /** The profile card: the person as others see them, and their time zone. */
  .get('/users/:id/profile', requireUser, async (c) => {
    const [found] = await c.var.db
      .select()
      .from(schema.users)
      .where(eq(schema.users.id, c.req.param('id')))
      .limit(1);
    if (!found) throw new ApiError(404, 'user_not_found', 'No such user');
    const deleted = found.deletedAt !== null;
    return c.json(
      { user: toUserRef(found), timeZone: found.timeZone, ...(deleted && { deleted }) },
      200,
    );
  })
  /**
   * How far the other member of a DM has read (`seq`, null when either has receipts off), and
   * (`reads`) each other member's cursor the rule lets the caller see: a group's `seq` is null.
   */
  .get('/rooms/:id/receipt', requireUser, async (c) => {
    const roomId = c.req.param('id');
    // Receipts exist only between a DM's members; any other chat has none to show.
    if (!assertDmMember(roomId, c.var.user.id)) {
      throw new ApiError(404, 'not_found', 'Read receipts are kept only in direct messages');
    }
    const reads = await dmReads(c.env.DB, roomId, c.var.user.id);
    const group = reads.length > 0 && isGroupDm(roomId);
    return c.json({ seq: group ? null : (reads[0]?.seq ?? null), reads }, 200);
  })
  .get('/avatars/:user/:hash', serveAvatar);

/**
 * A display name is shown where a username would be (messages, the people panel): one that
 * looks the same as someone else's username — equal, or equal once confusable look-alikes are
 * folded (the usernames' own skeleton, src/shared/names.ts) — would pass for them there, so it
 * is refused like a username would be. Looking like one's own username is fine.
 */
async function assertNotSomeoneElse(db: Db, userId: string, displayName: string) {
  const other = await lookAlikeOf(db, displayName, userId);
  if (other) throw nameTooSimilar(other, 'displayName');
}
