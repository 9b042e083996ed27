/** A user as other people see them (protocol.ts re-exports it; moderation.ts uses it too). */
import * as z from 'zod/mini';
import { profileFields } from './profile';

/**
 * What a widget user is, beside an account: `visitor`, someone on a host page who gave only
 * a name; `identified`, a site's own user whose server vouched for them (`identify`). Both
 * are guests of one room; neither is a Parlor account, whatever its name.
 */
export const userKind = z.enum(['visitor', 'identified']);
export type UserKind = z.infer<typeof userKind>;

/**
 * A user as other people see them: id, username (`name`), colour, guest flag, what kind of
 * widget user they are (`kind` and `site`; both absent for Parlor's own accounts and guests),
 * and what their profile shows (display name, avatar, status, away/DND; each absent when not
 * set).
 */
export const userRef = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  guest: z.boolean(),
  kind: z.optional(userKind),
  /** The origin of the site a widget user came from (`https://shop.example`), when known. */
  site: z.optional(z.string()),
  ...profileFields,
});
export type UserRef = z.infer<typeof userRef>;
