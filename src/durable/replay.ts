/**
 * What a socket resuming with `after` is sent: exactly the events after `after`, then
 * `caught_up`; or `resync` when that gap is not all kept or is longer than
 * LIMITS.replayEvents. Never a prefix of the gap (a client would show a hole).
 */
import { LIMITS } from '../shared/limits';
import type { RoomEvent, ServerFrame, UserRef } from '../shared/protocol';
import type { EventLog } from './event-log';

/**
 * @param authors the people the gap names, as they are now, by id (authors.ts): a message's
 * author, a reaction's user and a notice's people are shown as history shows them (current
 * name and display name). One missing keeps the log's copy, which renames while the person
 * is a member keep current too.
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
  const events = log.since(after, gap).map((event) => withCurrentPeople(event, authors));
  return [...events, { type: 'caught_up', seq: last }];
}

function withCurrentPeople(event: RoomEvent, people: Map<string, UserRef>): RoomEvent {
  const now = (ref: UserRef) => people.get(ref.id) ?? ref;
  switch (event.type) {
    case 'message':
      return { ...event, message: { ...event.message, author: now(event.message.author) } };
    case 'reaction':
      return { ...event, user: now(event.user) };
    case 'notice': {
      const { actor, subject } = event.notice;
      const notice = {
        ...event.notice,
        actor: actor && now(actor),
        subject: subject && now(subject),
      };
      return { ...event, notice };
    }
    default:
      return event;
  }
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
