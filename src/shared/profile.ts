/**
 * Profiles (issue 12): what a person shows besides their username — a display name, an
 * avatar, a status line and whether they are away or not to be disturbed — and the bodies
 * that change them. The username stays the unique name for sign-in and mentions; the display
 * name is free text (not unique), so the profile card always shows both.
 */
import * as z from 'zod/mini';
import { freeTextProblem, NAME_MARKS_IN_A_ROW } from './name-chars';
import { codePoints } from './limits';

export const PROFILE_LIMITS = {
  /** Display name, in code points after NFC and trimming. */
  displayNameChars: 48,
  /** Status text, in code points after trimming. */
  statusChars: 100,
  /** Combining marks in a row: enough for any script's stacked vowels and tones, not "Zalgo". */
  marksInARow: NAME_MARKS_IN_A_ROW,
  /** The longest a status may be set for. */
  statusMaxMs: 30 * 24 * 3600_000,
  /** Largest avatar upload (the client sends a 256×256 image, usually well under 50 KB). */
  avatarBytes: 256 * 1024,
  /** The square side the client crops and resizes avatars to. */
  avatarPixels: 256,
} as const;

/** Types an avatar may be, as decided from its first bytes (never from a name or header). */
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type AvatarType = (typeof AVATAR_TYPES)[number];

// One RGI emoji (with ZWJ sequences, skin tones, flags), built from a string: the `v` flag is
// ES2024 syntax.
const ONE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

/** Why free profile text cannot be used, or null (name-chars.ts, freeTextProblem). */
export function profileTextProblem(what: string, text: string): string | null {
  return freeTextProblem(what, text, { marks: PROFILE_LIMITS.marksInARow });
}

function freeText(what: string, max: number, extra?: (s: string) => string | null) {
  return z
    .pipe(
      z.string(),
      z.transform((s: string) => s.normalize('NFC').trim()),
    )
    .check(
      z.superRefine((s: string, ctx) => {
        const problem = profileTextProblem(what, s) ?? extra?.(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
        else if (codePoints(s) > max)
          ctx.addIssue({ code: 'custom', message: `${what} must be at most ${max} characters` });
      }),
    );
}

/**
 * A display name: empty (or null) removes it, and the username shows instead. No "@" (in any
 * width): one would let a name carry a handle that is not its own ("Bobby (@bobby)"), or
 * read as a mention.
 */
export const displayName = freeText('Display name', PROFILE_LIMITS.displayNameChars, (s) =>
  s.normalize('NFKC').includes('@') ? 'A display name cannot contain @' : null,
);

/** One emoji, nothing else. */
export const statusEmoji = z
  .string()
  .check(z.maxLength(32), z.regex(ONE_EMOJI, 'The status emoji must be one emoji'));

/** A status as people see it: `until` (ms since the epoch) is when it disappears, or null. */
export const status = z.object({
  text: z.string(),
  emoji: z.nullable(z.string()),
  until: z.nullable(z.number()),
});
export type Status = z.infer<typeof status>;

/** What a `UserRef` carries besides id, username, colour and guest flag; absent is none. */
export const profileFields = {
  /** Shown instead of the username where a name is shown; the username stays unique. */
  displayName: z.optional(z.string()),
  /** Path of the avatar image (`/api/avatars/<user id>/<hash>`); absent: initials. */
  avatar: z.optional(z.string()),
  status: z.optional(status),
  /** Absent: active (when online at all). `away` is reported by idle clients, `dnd` set by hand. */
  presence: z.optional(z.enum(['away', 'dnd'])),
};

/** `PATCH /api/me/profile`: every field optional; null (or '') removes. */
export const profileBody = z.object({
  displayName: z.optional(z.nullable(displayName)),
  status: z.optional(
    z.nullable(
      // Strict: a client sending `until` (a time, which the server never takes from a client)
      // is told so, not given a status that never clears.
      z.strictObject({
        text: freeText('Status', PROFILE_LIMITS.statusChars),
        emoji: z.optional(z.nullable(statusEmoji)),
        /** Minutes from now until the status clears; absent or null: until changed. */
        minutes: z.optional(
          z.nullable(
            z.number().check(z.int(), z.minimum(1), z.maximum(PROFILE_LIMITS.statusMaxMs / 60_000)),
          ),
        ),
      }),
    ),
  ),
  dnd: z.optional(z.boolean()),
  /** Removes the avatar (uploading is `PUT /api/me/avatar` with the image's bytes). */
  avatar: z.optional(z.null()),
  timeZone: z.optional(
    z.nullable(
      z
        .string()
        .check(
          z.maxLength(64),
          z.refine(validTimeZone, 'Time zone must be an IANA name such as Europe/Paris'),
        ),
    ),
  ),
  readReceipts: z.optional(z.boolean()),
});
export type ProfileBody = z.infer<typeof profileBody>;

/** `PUT /api/me/presence`: what an idle (or active again) client reports. */
export const presenceBody = z.object({ state: z.enum(['active', 'away']) });

/** A time zone the runtime knows. */
export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** The profile as stored in `users.profile` (JSON): read back through this, never cast. */
export const storedProfile = z.object({
  displayName: z.optional(z.string()),
  avatar: z.optional(z.string()),
  status: z.optional(status),
  away: z.optional(z.boolean()),
  dnd: z.optional(z.boolean()),
});
export type StoredProfile = z.infer<typeof storedProfile>;

/** Parses the stored JSON; anything unreadable counts as no profile. */
export function readStoredProfile(json: string | null | undefined): StoredProfile {
  if (!json) return {};
  try {
    const parsed = storedProfile.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * The `UserRef` fields of a stored profile at `now`: a status past its `until` is gone
 * (the server drops it whenever it builds a reference; clients hide it at `until` too).
 */
export function profileRefFields(
  json: string | null | undefined,
  now = Date.now(),
): {
  displayName?: string;
  avatar?: string;
  status?: Status;
  presence?: 'away' | 'dnd';
} {
  const p = readStoredProfile(json);
  const live = p.status && (p.status.until === null || p.status.until > now);
  const presence = p.dnd ? 'dnd' : p.away ? 'away' : undefined;
  return {
    ...(p.displayName && { displayName: p.displayName }),
    ...(p.avatar && { avatar: p.avatar }),
    ...(live && { status: p.status }),
    ...(presence && { presence }),
  };
}

/** The name to show for a person: their display name, else their username. */
export function shownName(user: { name: string; displayName?: string }): string {
  return user.displayName || user.name;
}

/**
 * A name isolated (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE) for text
 * that joins it with others: a right-to-left name then neither turns the text around it right
 * to left ("(evei@)") nor takes the commas and names beside it into its run.
 */
export const isolated = (name: string): string => `\u2068${name}\u2069`;

/**
 * A person where their handle matters too (who a moderator acts on, whom a search found):
 * the shown name, with the username beside a display name ("Ana B (@ana)"), each isolated.
 */
export function nameWithHandle(user: { name: string; displayName?: string }): string {
  return user.displayName ? `${isolated(user.displayName)} (@${isolated(user.name)})` : user.name;
}

/** The profile card's extra facts (`GET /api/users/:id/profile`). */
export const profileResponse = z.object({
  timeZone: z.nullable(z.string()),
  /** The account was deleted (the card offers no "Message"). */
  deleted: z.optional(z.boolean()),
});

/**
 * `GET /api/rooms/:id/receipt`: the other member's read cursor in a DM, or null (always null
 * in a group DM); `reads` has each other member's cursor the caller may see.
 */
export const receiptResponse = z.object({
  seq: z.nullable(z.number()),
  reads: z.array(z.object({ userId: z.string(), seq: z.number() })),
});
