/** `POST /api/dms/group`'s body (src/shared/dm.ts has the ids' rules). */
import { z } from 'zod/mini';
import { GROUP_DM_MAX_MEMBERS, GROUP_DM_MIN_MEMBERS } from './dm';

const userId = z.string().check(z.minLength(1), z.maxLength(64));

/**
 * `POST /api/dms/group`: the other people (user ids), 2–7 of them; the caller is the eighth.
 * Duplicates, the caller's own id and unknown or deleted accounts are refused by the route.
 */
export const openGroupDmBody = z.object({
  userIds: z
    .array(userId)
    .check(
      z.minLength(
        GROUP_DM_MIN_MEMBERS - 1,
        `A group needs at least ${GROUP_DM_MIN_MEMBERS - 1} other people (for one, open a DM)`,
      ),
      z.maxLength(
        GROUP_DM_MAX_MEMBERS - 1,
        `A group has at most ${GROUP_DM_MAX_MEMBERS} people: you and ${GROUP_DM_MAX_MEMBERS - 1} others`,
      ),
    ),
});
