/**
 * Who is in a room, for any member (as Slack's member list): each person by the name the app
 * shows, their role and whether they are known to be online, a page at a time. The owner and
 * moderators add people from the top (`adding`: the name box has focus, as from "Add people"
 * or a room just made). Read again whenever the room's member count changes (joins, leaves,
 * additions, removals and bans, which are notices in the room's order).
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { memberListResponse, type RoomMember } from '../../shared/member-list';
import { shownName } from '../../shared/profile';
import { ApiError } from '../api/http';
import type { Conversation } from '../conversation/model';
import { Avatar, presenceOf } from '../profile/Avatar';
import { PersonButton } from '../profile/PersonButton';
import { UserTag } from '../profile/UserTag';
import { Dialog } from '../ui/Dialog';
import { AddPerson } from './AddPerson';
import { adminApiOf } from './api';
import { memberCount } from './member-count';
import './rooms.css';

// A page is what fits a dialog's scroll without waiting; "Show more" reads the next.
const PAGE = 50;

interface MembersDialogProps {
  conv: Conversation;
  adding: boolean;
  /** Whether the person is known to be online (the shell's presence lists). */
  online: (id: string) => boolean;
  onClose: () => void;
}

export function MembersDialog({ conv, adding, online, onClose }: MembersDialogProps) {
  const room = conv.room;
  const members = useSignal<RoomMember[] | null>(null);
  const total = useSignal<number | null>(null);
  const next = useSignal<string | null>(null);
  const status = useSignal<string | null>(null);
  const failure = useSignal<string | null>(null);
  const base = `/api/rooms/${encodeURIComponent(conv.roomId)}/member-list?limit=${PAGE}`;

  async function read(after: string | null) {
    try {
      const page = await room.baseApi.get(
        after === null ? base : `${base}&after=${encodeURIComponent(after)}`,
        memberListResponse,
      );
      members.value = after === null ? page.members : [...(members.peek() ?? []), ...page.members];
      total.value = page.count;
      next.value = page.nextCursor;
    } catch (err) {
      failure.value = err instanceof ApiError ? err.message : 'The member list did not load.';
    }
  }
  // The first page again whenever the count moves (someone joined, left, was added…).
  const count = memberCount(conv);
  useEffect(() => void read(null), [count]);

  async function add(user: { id: string; name: string }) {
    status.value = null;
    failure.value = null;
    try {
      await adminApiOf(room).addMember(user.id);
    } catch (err) {
      failure.value = err instanceof ApiError ? err.message : 'That did not work. Try again.';
      return false;
    }
    status.value = `${shownName(user)} added`;
    await read(null);
    return true;
  }

  const shown = total.value ?? count;
  const title = shown === null ? 'Members' : `Members (${shown})`;
  return (
    <Dialog title={title} testId="members-dialog" onClose={onClose}>
      <div class="stack members-dialog">
        {room.moderates.value && (
          <div class="stack" data-testid="members-add">
            {adding && (
              <p class="hint">
                Who is this room for? Add people by name; they find it in their chat list.
              </p>
            )}
            <AddPerson room={room} add={add} autoFocus={adding} />
          </div>
        )}
        <p role="status" class="form-status" data-testid="members-status">
          {status.value}
        </p>
        {failure.value && (
          <p role="alert" class="form-error" data-testid="members-error">
            {failure.value}
          </p>
        )}
        {members.value === null ? (
          !failure.value && <p class="hint">Loading…</p>
        ) : (
          <ul class="user-list members-list" data-testid="member-list" aria-label="Members">
            {members.value.map(({ user, role }) => {
              const u = conv.names.current(user);
              const here = online(u.id);
              return (
                <li key={u.id} data-testid="member" data-user-id={u.id} data-role={role}>
                  <Avatar user={u} size={28} presence={here ? presenceOf(u) : null} />
                  <PersonButton user={u} class="link-button" testId="member-name">
                    <bdi>{shownName(u)}</bdi>
                  </PersonButton>
                  {role !== 'member' && <span class="tag">{role}</span>}
                  {u.id === conv.me.id && <span class="tag">you</span>}
                  <UserTag user={u} />
                  {here && <span class="hint member-online">online</span>}
                </li>
              );
            })}
          </ul>
        )}
        {next.value !== null && (
          <button
            type="button"
            class="link-button"
            data-testid="members-more"
            onClick={() => void read(next.peek())}
          >
            Show more members
          </button>
        )}
      </div>
    </Dialog>
  );
}
