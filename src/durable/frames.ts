/** Parses a client's WebSocket frame into a typed frame or the error frame it deserves. */
import type * as z from 'zod/mini';
import type { ErrorCode } from '../shared/errors';
import type { ClientFrame, ServerFrame } from '../shared/protocol';
import { CLIENT_FRAME_TYPES, clientFrame } from '../shared/protocol';
import { LIMITS } from '../shared/limits';
import { isBlank, markRun } from '../shared/name-chars';

export type ParsedFrame<F = ClientFrame> =
  { ok: true; frame: F } | { ok: false; code: ErrorCode; message: string; ref?: string | number };

/** Parses a room socket's frame (or, given the lobby's schema and types, a lobby socket's). */
export function parseClientFrame<S extends z.ZodMiniType = typeof clientFrame>(
  data: string | ArrayBuffer,
  schema: S = clientFrame as unknown as S,
  types: readonly string[] = CLIENT_FRAME_TYPES,
): ParsedFrame<z.output<S>> {
  if (typeof data !== 'string') {
    return { ok: false, code: 'unknown_frame', message: 'Binary frames are not supported' };
  }
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, code: 'invalid_json', message: 'The frame is not valid JSON' };
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof json !== 'object' || json === null || !types.includes(type as never)) {
    return {
      ok: false,
      code: 'unknown_frame',
      message: `Unknown frame type; expected one of ${types.join(', ')}`,
    };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, frame: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  const raw = json as { clientId?: unknown; target?: unknown };
  const ref =
    typeof raw.clientId === 'string'
      ? raw.clientId
      : typeof raw.target === 'number'
        ? raw.target
        : undefined;
  if (field === 'text' && issue.code === 'too_big') {
    return { ok: false, code: 'text_too_long', message: issue.message, ref };
  }
  const message = `${field || 'frame'}: ${issue.message}`;
  return { ok: false, code: 'validation_failed', message, ref };
}

/**
 * Whether a frame exceeds LIMITS.frameBytes, encoding it only when its length leaves the
 * answer open: UTF-8 takes 1–3 bytes per UTF-16 unit, so most frames need no copy.
 */
export function frameTooLarge(data: string | ArrayBuffer): boolean {
  const limit = LIMITS.frameBytes;
  if (typeof data !== 'string') return data.byteLength > limit;
  if (data.length > limit) return true;
  if (data.length * 3 <= limit) return false;
  return new TextEncoder().encode(data).byteLength > limit;
}

/**
 * A room socket's frame, on a room or a relay: parsed, or the error frame it is answered
 * with; `tooLarge` frames also close the socket (1009).
 */
export function readRoomFrame(
  data: string | ArrayBuffer,
): { ok: true; frame: ClientFrame } | { ok: false; error: ServerFrame; tooLarge: boolean } {
  if (frameTooLarge(data)) {
    const message = `Frames are limited to ${LIMITS.frameBytes} bytes`;
    return {
      ok: false,
      error: { type: 'error', code: 'frame_too_large', message },
      tooLarge: true,
    };
  }
  const parsed = parseClientFrame(data);
  if (parsed.ok) {
    const blank = blankText(parsed.frame);
    if (!blank) return parsed;
    return { ok: false, error: { type: 'error', ...blank }, tooLarge: false };
  }
  const { code, message, ref } = parsed;
  const error: ServerFrame = { type: 'error', code, message, ...(ref !== undefined && { ref }) };
  return { ok: false, error, tooLarge: false };
}

/** More combining marks in a row than any script stacks on one letter: a smear ("zalgo"). */
const MARK_RUN = markRun(LIMITS.marksInARow);

/**
 * A message or edit whose text shows nothing (isBlank: only spaces and invisible code points)
 * is refused like an empty one; a message with files may still have no text at all. So is
 * text that stacks more than LIMITS.marksInARow combining marks on a letter, which paints over
 * the messages above it.
 */
function blankText(
  frame: ClientFrame,
): { code: ErrorCode; message: string; ref: string | number } | null {
  if (frame.type !== 'send' && frame.type !== 'edit') return null;
  const ref = frame.type === 'send' ? frame.clientId : frame.target;
  if (MARK_RUN.test(frame.text)) {
    const message = `text: At most ${LIMITS.marksInARow} combining marks on one letter`;
    return { code: 'validation_failed', message, ref };
  }
  const empty = { code: 'validation_failed' as const, message: 'text: Message is empty', ref };
  if (frame.type === 'send') {
    if (frame.text === '' || (frame.files?.length ?? 0) > 0 || !isBlank(frame.text)) return null;
    return empty;
  }
  return isBlank(frame.text) ? empty : null;
}
