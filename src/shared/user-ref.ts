/** A user as other people see them (protocol.ts re-exports it; moderation.ts uses it too). */
import * as z from 'zod/mini';

/** A user as other people see them: never more than id, name, colour and guest flag. */
export const userRef = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  guest: z.boolean(),
});
export type UserRef = z.infer<typeof userRef>;
