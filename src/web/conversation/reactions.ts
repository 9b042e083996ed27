/** A message's reaction summaries after one reaction event, as the viewer `meId` sees them. */
import { LIMITS } from '../../shared/limits';
import type { ReactionSummary, RoomEvent } from '../../shared/protocol';

type ReactionEvent = Extract<RoomEvent, { type: 'reaction' }>;

export function applyReaction(
  reactions: readonly ReactionSummary[],
  { emoji, user, on }: ReactionEvent,
  meId: string | null,
): ReactionSummary[] {
  const mine = user.id === meId;
  const existing = reactions.find((r) => r.emoji === emoji);
  if (on) {
    if (!existing) return [...reactions, { emoji, count: 1, users: [user.id], me: mine }];
    const listed = existing.users.includes(user.id);
    const users =
      listed || existing.users.length >= LIMITS.reactionUsersListed
        ? existing.users
        : [...existing.users, user.id];
    return reactions.map((r) =>
      r === existing ? { ...r, count: r.count + 1, users, me: r.me || mine } : r,
    );
  }
  if (!existing) return [...reactions];
  if (existing.count <= 1) return reactions.filter((r) => r !== existing);
  return reactions.map((r) =>
    r === existing
      ? {
          ...r,
          count: r.count - 1,
          users: r.users.filter((id) => id !== user.id),
          me: mine ? false : r.me,
        }
      : r,
  );
}
