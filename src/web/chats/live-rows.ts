/**
 * What the lobby says beyond new messages, applied to the chat list (docs/protocol.md): edits
 * and deletes (`activity` with `changed`), the user's read cursor moved in some tab
 * (`chat_read`), a chat lost (`chat_gone`). Rather than working out what a change does to its
 * counts, the tab reads the chat's row again (`GET /api/chats/:id`) when the change can touch
 * it, so it shows what a reload would. Loaded on the first such frame (not on first screen).
 */
import type { ChatListItem } from '../../shared/api';
import type { ActivityFrame, LobbyFrame } from '../../shared/protocol';
import type { Http } from '../api/http';
import { chatResponse } from '../../shared/responses';
import type { Chats } from './model';

/** Per chat, the latest re-read asked for: an older answer arriving later is dropped. */
const asked = new Map<string, number>();

function reread(chats: Chats, http: Http, id: string): void {
  const n = (asked.get(id) ?? 0) + 1;
  asked.set(id, n);
  http.get(`/api/chats/${encodeURIComponent(id)}`, chatResponse).then(
    ({ chat }) => {
      if (asked.get(id) === n && chats.has(id)) chats.put(chat);
    },
    (err: { status?: number }) => {
      if (asked.get(id) === n && err.status === 404) chats.remove(id);
    },
  );
}

/** Whether edits or deletes may change the row as /api/chats has it (counts, preview). */
function affects(chat: ChatListItem, frame: ActivityFrame): boolean {
  if (frame.count > 0) return true;
  return (frame.changed ?? []).some((seq) => seq > chat.readSeq || seq === chat.last?.seq);
}

/**
 * An `activity` notice with `changed`, a `chat_read` or a `chat_gone`. `seen`: the chat is
 * open and visible (its own socket keeps its preview, and it is being read).
 */
export function applyChatChange(
  chats: Chats,
  http: Http,
  frame: ActivityFrame | Extract<LobbyFrame, { type: 'chat_read' | 'chat_gone' }>,
  seen: boolean,
): void {
  const chat = chats.get(frame.roomId);
  if (!chat) return;
  if (frame.type === 'chat_gone') return chats.remove(frame.roomId);
  if (frame.type === 'chat_read') {
    if (frame.seq > chat.readSeq) reread(chats, http, frame.roomId);
    return;
  }
  if (!seen && affects(chat, frame)) return reread(chats, http, frame.roomId);
  chats.put({
    ...chat,
    lastSeq: Math.max(chat.lastSeq, frame.seq),
    lastActivityAt: Math.max(chat.lastActivityAt, frame.at),
  });
}
