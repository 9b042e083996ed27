/**
 * A person's picture: their uploaded avatar, or their initial on their colour until they
 * have one. Decorative (the name is always beside it), so hidden from screen readers; the
 * presence dot's meaning is given in text by whoever shows it.
 */
import { shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';
import { avatarColor } from '../ui/color';

export type PresenceState = 'active' | 'away' | 'dnd';

interface AvatarProps {
  user: UserRef;
  /** Pixels; the image is 256×256, scaled down. */
  size?: number;
  /** Online and in which state; absent or null: no dot (offline, or not known). */
  presence?: PresenceState | null;
}

export function Avatar({ user, size = 32, presence }: AvatarProps) {
  const initial = [...shownName(user)][0]?.toUpperCase() ?? '?';
  return (
    <span
      class="avatar-pic"
      aria-hidden="true"
      data-testid="avatar"
      data-avatar={user.avatar ?? ''}
      style={{ width: `${size}px`, height: `${size}px`, fontSize: `${size * 0.45}px` }}
    >
      {user.avatar ? (
        <img src={user.avatar} alt="" width={size} height={size} loading="lazy" />
      ) : (
        <span class="avatar-initial" style={{ background: avatarColor(user) }}>
          {initial}
        </span>
      )}
      {presence && <span class={`presence-badge ${presence}`} data-presence={presence} />}
    </span>
  );
}

/** The state of someone known to be online. */
export function presenceOf(user: UserRef): PresenceState {
  return user.presence ?? 'active';
}

export const PRESENCE_LABEL: Record<PresenceState, string> = {
  active: 'active',
  away: 'away',
  dnd: 'do not disturb',
};
