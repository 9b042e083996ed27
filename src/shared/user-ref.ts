/** A user as other people see them (protocol.ts re-exports it; moderation.ts uses it too). */
import * as z from 'zod/mini';
import { profileFields } from './profile';

/**
 * A user as other people see them: id, username (`name`), colour, guest flag, and what their
 * profile shows (display name, avatar, status, away/DND; each absent when not set).
 */
export const userRef = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  guest: z.boolean(),
  ...profileFields,
});
export type UserRef = z.infer<typeof userRef>;
