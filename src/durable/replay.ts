/**
 * What a socket resuming with `after` is sent: exactly the events after `after`, then
 * `caught_up`; or `resync` when that gap is not all kept or is longer than
 * LIMITS.replayEvents. Never a prefix of the gap (a client would show a hole).
 */
import { LIMITS } from '../shared/limits';
import type { ServerFrame, UserRef } from '../shared/protocol';
import type { EventLog } from './event-log';

/**
 * @param authors current authors by id (authors.ts); a message whose author is missing keeps
 * the log's copy, which renames while the author is a member keep current too.
 */
export function replayFrames(
  log: EventLog,
  after: number,
  authors: Map<string, UserRef> = new Map(),
): ServerFrame[] {
  const last = log.lastSeq;
  if (after === last) return [{ type: 'caught_up', seq: last }];
  if (after > last) {
    return [{ type: 'resync', seq: last, reason: 'The cursor is ahead of the room' }];
  }
  const gap = last - after;
  if (gap > LIMITS.replayEvents || after + 1 < log.oldestSeq()) {
    return [{ type: 'resync', seq: last, reason: 'The gap is too large to replay; load history' }];
  }
  const events = log.since(after, gap).map((event) => {
    if (event.type !== 'message') return event;
    const author = authors.get(event.message.author.id);
    return author ? { ...event, message: { ...event.message, author } } : event;
  });
  return [...events, { type: 'caught_up', seq: last }];
}

/** Whether `after` asks for a replay the log can serve (then its authors are looked up). */
export function replaysEvents(log: EventLog, after: number | null): after is number {
  return (
    after !== null &&
    after < log.lastSeq &&
    log.lastSeq - after <= LIMITS.replayEvents &&
    after + 1 >= log.oldestSeq()
  );
}
