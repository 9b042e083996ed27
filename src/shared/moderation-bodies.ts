/**
 * Bodies of the room admin routes (`/api/rooms/:id/…`) and invite links (`/api/invites`),
 * issue 12: the Worker parses every one with these. Apart from moderation.ts so the client,
 * which imports that for notices, does not carry them.
 */
import * as z from 'zod/mini';
import { createRoomBody, roomText } from './api';
import { LIMITS } from './limits';

export const SLOW_MODE_MAX_SECONDS = 3600;
export const INVITE_MAX_USES = 1000;
/** An invite link lives at most 30 days. */
export const INVITE_MAX_SECONDS = 30 * 24 * 3600;
export const DESCRIPTION_CHARS = 1000;

const roomName = createRoomBody.shape.name;
const optionalText = (max: number, what: 'Topic' | 'Description', lines = false) =>
  z.optional(z.nullable(roomText(what, max, lines)));

/** `PATCH /api/rooms/:id` (owner): any of name, topic, description; empty text clears. */
export const roomSettingsBody = z
  .object({
    name: z.optional(roomName),
    topic: optionalText(LIMITS.topicChars, 'Topic'),
    description: optionalText(DESCRIPTION_CHARS, 'Description', true),
  })
  .check(
    z.refine((b) => b.name !== undefined || b.topic !== undefined || b.description !== undefined, {
      message: 'Change at least one of name, topic and description',
    }),
  );
const userId = z.string().check(z.minLength(1), z.maxLength(64));
export const userIdBody = z.object({ userId });
export const archiveBody = z.object({ archived: z.boolean() });
/** `PUT /api/rooms/:id/privacy` (owner): members only (true) or listed for everyone (false). */
export const privacyBody = z.object({ private: z.boolean() });
export const slowModeBody = z.object({
  seconds: z.number().check(z.int(), z.minimum(0), z.maximum(SLOW_MODE_MAX_SECONDS)),
});
export const createInviteBody = z.object({
  expiresInSeconds: z.number().check(z.int(), z.minimum(60), z.maximum(INVITE_MAX_SECONDS)),
  maxUses: z.number().check(z.int(), z.minimum(1), z.maximum(INVITE_MAX_USES)),
});
/** An invite link's token: 32 URL-safe characters. */
export const inviteToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{32}$/, 'Not an invite link'));
