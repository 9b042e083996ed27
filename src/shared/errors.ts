/** Every error code an HTTP response or WebSocket error frame can carry. */
export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unsupported_media_type',
  'payload_too_large',
  'unauthorized',
  'session_expired',
  'invalid_credentials',
  'forbidden',
  'origin_not_allowed',
  'not_found',
  'room_not_found',
  'user_not_found',
  'message_not_found',
  'username_taken',
  'room_name_taken',
  'weak_password',
  'invalid_token',
  'email_taken',
  'too_many_attempts',
  'rate_limited',
  'text_too_long',
  'frame_too_large',
  'unknown_frame',
  'not_author',
  'not_a_member',
  'name_too_similar',
  'quota_exceeded',
  'server_busy',
  'invalid_cursor',
  'room_archived',
  'banned',
  'blocked',
  'invite_invalid',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one JSON shape every failed `/api/*` request answers with. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}
