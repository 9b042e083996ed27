/**
 * Account care (issue 12): request bodies and responses for changing a password, signing
 * sessions out, deleting an account, proving an email address and resetting a password.
 * The Worker parses every body with these; the client parses every answer.
 */
import * as z from 'zod/mini';
import { password } from './api';

/** What a one-time link carries: 32 random bytes, base64url (43 characters). */
const token = z.string().check(z.minLength(20), z.maxLength(100));

/** An address as stored and compared: trimmed and lower-cased. */
export const emailAddress = z.pipe(
  z.email('Email is not valid').check(z.maxLength(254)),
  z.transform((s: string) => s.trim().toLowerCase()),
);

export const changePasswordBody = z.object({
  current: z.string().check(z.maxLength(256)),
  password,
});

/** An account gives its password; a guest, who has none, confirms. */
export const deleteAccountBody = z.object({
  password: z.optional(z.string().check(z.maxLength(256))),
  confirm: z.optional(z.literal(true)),
});

/** `email: null` removes the address. The password is asked because the address can reset it. */
export const setEmailBody = z.object({
  email: z.nullable(emailAddress),
  password: z.string().check(z.maxLength(256)),
});

export const tokenBody = z.object({ token });
export const resetRequestBody = z.object({ email: emailAddress });
export const resetBody = z.object({ token, password });

export const sessionInfo = z.object({
  id: z.string(),
  createdAt: z.number(),
  /** When the session last opened its lobby socket (refreshed every few minutes), if ever. */
  lastSeenAt: z.nullable(z.number()),
  /** "Chrome on Linux", from the User-Agent at sign-in; null when unknown. */
  device: z.nullable(z.string()),
  /** The session making the request: this browser. */
  current: z.boolean(),
  /**
   * A widget session (the account chatting as itself on a site that embeds a room): that
   * room and site. Absent for a session of the app itself.
   */
  widget: z.optional(
    z.object({ roomId: z.string(), roomName: z.nullable(z.string()), origin: z.string() }),
  ),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

export const sessionsResponse = z.object({ sessions: z.array(sessionInfo) });
/** How many sessions were signed out (their sockets closed). */
export const revokedResponse = z.object({ revoked: z.number() });

export const accountResponse = z.object({
  email: z.nullable(z.string()),
  emailVerified: z.boolean(),
  /** Whether a verification mail went out now (false when no mailer is configured). */
  mailSent: z.optional(z.boolean()),
});
export type AccountInfo = z.infer<typeof accountResponse>;
