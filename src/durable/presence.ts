/** Presence derived from live sockets: each user once, however many tabs they have open. */
import type { UserRef } from '../shared/protocol';

export function onlineUsers(sockets: WebSocket[]): UserRef[] {
  const users = new Map<string, UserRef>();
  for (const ws of sockets) {
    const attachment = ws.deserializeAttachment() as { user?: UserRef } | null;
    if (attachment?.user) users.set(attachment.user.id, attachment.user);
  }
  return [...users.values()];
}
