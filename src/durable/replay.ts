/**
 * What a socket resuming with `after` is sent: exactly the events after `after`, then
 * `caught_up`; or `resync` when that gap is not all kept or is longer than
 * LIMITS.replayEvents. Never a prefix of the gap (a client would show a hole).
 */
import { LIMITS } from '../shared/limits';
import type { ServerFrame } from '../shared/protocol';
import type { EventLog } from './event-log';

export function replayFrames(log: EventLog, after: number): ServerFrame[] {
  const last = log.lastSeq;
  if (after === last) return [{ type: 'caught_up', seq: last }];
  if (after > last) {
    return [{ type: 'resync', seq: last, reason: 'The cursor is ahead of the room' }];
  }
  const gap = last - after;
  if (gap > LIMITS.replayEvents || after + 1 < log.oldestSeq()) {
    return [{ type: 'resync', seq: last, reason: 'The gap is too large to replay; load history' }];
  }
  return [...log.since(after, gap), { type: 'caught_up', seq: last }];
}
