/** Keeping the signed-in user's own record in step with profile changes. */
import type { Me } from '../../shared/api';
import type { UserRef } from '../../shared/protocol';

const PROFILE_KEYS = ['displayName', 'avatar', 'status', 'presence'] as const;

/** `me` with what `user` (a `user` frame about them) says; fields it lacks are cleared. */
export function withRef(me: Me, user: UserRef): Me {
  const next: Me = { ...me, name: user.name, color: user.color };
  for (const key of PROFILE_KEYS) delete next[key];
  return { ...next, ...refOf({ ...next, ...user }) };
}

/** The `UserRef` part of `me`, as others see it. */
export function refOf(me: Me): UserRef {
  const { id, name, color, guest, displayName, avatar, status, presence } = me;
  return {
    id,
    name,
    color,
    guest,
    ...(displayName !== undefined && { displayName }),
    ...(avatar !== undefined && { avatar }),
    ...(status !== undefined && { status }),
    ...(presence !== undefined && { presence }),
  };
}
