/**
 * Notices in the message stream (issue 12): joins, leaves and moderation actions, each at
 * its place in the room's order; a run of joins and leaves is one line that expands.
 */
import { shownName } from '../../shared/profile';
import { useSignal } from '@preact/signals';
import type { RoomNotice } from '../../shared/moderation';
import type { UserRef } from '../../shared/protocol';
import type { Conversation } from '../conversation/model';
import type { Notice } from '../conversation/model';
import { formatTime } from '../conversation/stream';
import { PersonButton } from '../profile/PersonButton';
import { UserTag } from '../profile/UserTag';

export function NoticeLine({ conv, notice: n }: { conv: Conversation; notice: Notice }) {
  return (
    <li
      class="notice"
      data-testid="notice"
      data-kind={n.notice.kind}
      data-seq={n.seq}
      // An item the arrow keys reach, as a message is (conversation/message-keys.ts).
      tabIndex={-1}
    >
      <NoticeText conv={conv} notice={n.notice} /> · {formatTime(n.notice.at)}
    </li>
  );
}

export function NoticeRun({ conv, notices }: { conv: Conversation; notices: Notice[] }) {
  const open = useSignal(false);
  const joined = notices.filter((n) => n.notice.kind === 'joined').length;
  const left = notices.length - joined;
  const summary = [
    joined && `${joined} ${joined === 1 ? 'person' : 'people'} joined`,
    left && `${left} left`,
  ]
    .filter(Boolean)
    .join(', ');
  const listId = `notices-${notices[0]!.seq}`;
  return (
    <li class="notice notice-run" data-testid="notice-run" tabIndex={-1}>
      <button
        type="button"
        class="link-button"
        aria-expanded={open.value}
        aria-controls={listId}
        onClick={() => (open.value = !open.value)}
      >
        {summary} {open.value ? '▴' : '▾'}
      </button>
      {open.value && (
        <ul id={listId} class="notice-list">
          {notices.map((n) => (
            <li key={n.key} data-testid="notice" data-kind={n.notice.kind} data-seq={n.seq}>
              <NoticeText conv={conv} notice={n.notice} /> · {formatTime(n.notice.at)}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * One notice as a sentence; names are the people's current ones, always as text, and each
 * opens that person's profile card.
 */
function NoticeText({ conv, notice: n }: { conv: Conversation; notice: RoomNotice }) {
  const name = (u: UserRef | null) => {
    if (!u) return <bdi>Someone</bdi>;
    const current = conv.names.current(u);
    return (
      <>
        <PersonButton user={current} class="link-button notice-person" testId="notice-person">
          <bdi>{shownName(current)}</bdi>
        </PersonButton>
        <UserTag user={current} />
      </>
    );
  };
  const by = name(n.actor);
  const them = name(n.subject);
  switch (n.kind) {
    case 'joined':
      return <>{them} joined the room</>;
    case 'left':
      return <>{them} left the room</>;
    case 'invited':
      return (
        <>
          {by} added {them}
        </>
      );
    case 'removed':
      return (
        <>
          {by} removed {them}
        </>
      );
    case 'banned':
      return (
        <>
          {by} banned {them}
        </>
      );
    case 'unbanned':
      return (
        <>
          {by} lifted the ban on {them}
        </>
      );
    case 'moderator_added':
      return (
        <>
          {by} made {them} a moderator
        </>
      );
    case 'moderator_removed':
      return (
        <>
          {by} made {them} a member again
        </>
      );
    case 'owner_changed':
      return (
        <>
          {by} handed the room to {them}
        </>
      );
    case 'settings':
      return <>{by} changed the room’s name, topic or description</>;
    case 'archived':
      return <>{by} archived the room: it is read-only</>;
    case 'unarchived':
      return <>{by} reopened the room</>;
    case 'made_private':
      return <>{by} made the room private: only members see it</>;
    case 'made_public':
      return <>{by} made the room public: anyone can find and join it</>;
    case 'slow_mode':
      return n.seconds ? (
        <>
          {by} turned on slow mode: one message every {n.seconds} s
        </>
      ) : (
        <>{by} turned off slow mode</>
      );
    case 'message_removed':
      return <>{by} removed a message</>;
    case 'pinned':
    case 'unpinned':
      return (
        <>
          {by} {n.kind === 'pinned' ? 'pinned' : 'unpinned'}{' '}
          <button
            type="button"
            class="link-button"
            data-testid="notice-target"
            // Its name starts with what it shows ("… pinned a message"), then says where it goes.
            aria-label={`a message: show the ${n.kind} message`}
            onClick={() => n.target !== undefined && void conv.jumpTo(n.target)}
          >
            a message
          </button>
        </>
      );
  }
}
