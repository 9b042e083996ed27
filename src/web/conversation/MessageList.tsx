/**
 * The scrolling stream. Opens at the first unread message or the bottom, stays at the
 * bottom while new messages arrive, loads older pages near the top without moving what the
 * reader is looking at, and reports how far down the reader has actually seen.
 */
import { useComputed, useSignal } from '@preact/signals';
import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { shownName } from '../../shared/profile';
import { Avatar } from '../profile/Avatar';
import { blockedIds } from '../profile/blocked';
import { PersonButton } from '../profile/PersonButton';
import { UserTag } from '../profile/UserTag';
import '../profile/profile.css';
import { createCatchUp } from './catch-up';
import { userColor } from '../ui/color';
import { MessageItem } from './MessageItem';
import type { Conversation } from './model';
import { PendingItem } from './PendingItem';
import { buildStream, formatFull, formatTime, type StreamItem } from './stream';
import { lazy } from '../ui/lazy';

// Notices (joins, leaves, moderation) load with their first appearance, not the first screen.
const noticeItem = (failed: boolean) => (
  <li class="notice" aria-busy={!failed}>
    {failed ? 'A room notice could not be shown.' : '…'}
  </li>
);
const NoticeLine = lazy(
  () => import('../rooms/NoticeLine').then((m) => m.NoticeLine),
  'a notice',
  noticeItem,
);
const NoticeRun = lazy(
  () => import('../rooms/NoticeLine').then((m) => m.NoticeRun),
  'notices',
  noticeItem,
);

// Closer than this to an edge counts as being at it.
const EDGE_PX = 48;
// Start fetching the previous page this far before the top is reached.
const PRELOAD_PX = 400;

export function MessageList({ conv, label }: { conv: Conversation; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const placed = useRef(false);
  const firstSeq = useRef<number | null>(null);
  const lastHeight = useRef(0);
  const away = useSignal(false);
  const catchUp = useMemo(() => createCatchUp(conv), [conv]);
  const stream = useComputed(() =>
    buildStream(conv.messages.value, conv.notices.value, conv.readSeqAtOpen, conv.me.id),
  );
  const messages = conv.messages.value;
  const pending = conv.pending.value;
  const last = stream.value.at(-1);
  const ownLast = last?.kind === 'group' && last.author.id === conv.me.id;
  const seen = useComputed(() => seenOf(conv));

  function reportSeen() {
    const el = ref.current;
    if (!el) return;
    const bottom = el.getBoundingClientRect().bottom;
    const items = el.querySelectorAll<HTMLElement>('[data-seq]');
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i]!;
      if (item.getBoundingClientRect().top < bottom - 8) {
        conv.seen(Number(item.dataset.seq));
        return;
      }
    }
  }

  function onScroll() {
    const el = ref.current!;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX;
    away.value = !atBottom.current;
    catchUp.update(el, atBottom.current);
    // Tabbing onto "Load older messages" scrolls it into view: that is not a wish to load.
    const onEdge = el.querySelector('.history-edge')?.contains(document.activeElement);
    if (el.scrollTop < PRELOAD_PX && !onEdge) void conv.loadOlder();
    reportSeen();
  }

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || conv.state.value !== 'ready') return;
    const first = messages[0]?.seq ?? null;
    if (!placed.current) {
      placed.current = true;
      const unread = el.querySelector('[data-testid=unread-divider]');
      if (unread) unread.scrollIntoView({ block: 'start' });
      else el.scrollTop = el.scrollHeight;
    } else if (first !== null && firstSeq.current !== null && first < firstSeq.current) {
      // An older page went in above: keep the same message under the reader's eyes.
      el.scrollTop += el.scrollHeight - lastHeight.current;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    firstSeq.current = first;
    lastHeight.current = el.scrollHeight;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX;
    catchUp.update(el, atBottom.current);
    // A first page shorter than the view leaves nothing to scroll: fetch more right away.
    if (el.scrollHeight <= el.clientHeight + PRELOAD_PX) void conv.loadOlder();
    reportSeen();
  }, [messages, pending, stream.value, conv.state.value]);

  // A reader at the bottom stays there when the list's box or content changes size by
  // itself, which the effect above does not see: the slow-mode line or the "Pinned" button
  // appearing after the list was placed, a notice's text loaded late — and, in the widget,
  // messages that came while its closed panel was not displayed (nothing is laid out then,
  // so nothing could scroll). The list's own moves set `atBottom` before this runs: older
  // pages in the layout effect, a jump below, a reader's scroll in onScroll (the browser
  // dispatches scroll events before it reports sizes).
  useEffect(() => {
    const el = ref.current!;
    const sizes = new ResizeObserver(() => {
      if (atBottom.current && placed.current && el.clientHeight > 0) el.scrollTop = el.scrollHeight;
    });
    for (const box of [el, ...el.children]) sizes.observe(box);
    return () => sizes.disconnect();
  }, []);

  // A jump (a reply's original): scroll the message to the middle, focus and mark it.
  const jump = conv.highlight.value;
  useEffect(() => {
    if (!jump) return;
    const el = document.getElementById(`m-${jump.seq}`);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    const list = ref.current;
    if (list) atBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < EDGE_PX;
    el.focus({ preventScroll: true });
    el.classList.add('highlighted');
    const timer = setTimeout(() => el.classList.remove('highlighted'), 2500);
    return () => clearTimeout(timer);
  }, [jump]);

  // Opened by its address before the chat list arrived, the chat is not known to be ours
  // yet and what is on screen is not counted as read (`seen` needs membership): count it
  // once it is, or a DM opened from a link would stay unread, and unseen by the other side.
  const member = conv.member.value;
  useEffect(() => {
    if (member) reportSeen();
  }, [member]);

  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && reportSeen();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  return (
    <div
      class="message-scroll"
      ref={ref}
      onScroll={onScroll}
      tabIndex={0}
      aria-label={label}
      aria-keyshortcuts="Home End ArrowUp ArrowDown"
      data-testid="message-list"
    >
      {/* Zero-height and sticky like the jump below, for the same reason. */}
      <div class="unread-anchor">
        {catchUp.unreadAbove.value && (
          <button
            type="button"
            class="jump jump-unread"
            data-testid="jump-unread"
            onClick={() => ref.current && void catchUp.jumpToUnread(ref.current)}
          >
            ↑ Jump to first unread
          </button>
        )}
      </div>
      <div class="history-edge" data-testid={conv.hasOlder.value ? 'load-older' : 'history-start'}>
        {conv.hasOlder.value ? (
          <button
            type="button"
            class="link-button"
            // aria-disabled, not disabled: a disabled button drops its focus to <body>.
            aria-disabled={conv.loadingOlder.value}
            onClick={async (e) => {
              const button = e.currentTarget;
              await conv.loadOlder();
              // The first message reached: the button is gone, keep focus in the list.
              if (!button.isConnected) ref.current?.focus();
            }}
          >
            {conv.loadingOlder.value ? 'Loading older messages…' : 'Load older messages'}
          </button>
        ) : (
          conv.state.value === 'ready' && <span>This is the beginning of the chat.</span>
        )}
      </div>
      <ol class="stream">
        {stream.value.map((item) => (
          <StreamEntry key={item.key} conv={conv} item={item} seen={seen.value} />
        ))}
        {pending.length > 0 && (
          <li class="group own">
            {/* Under someone else's messages, what is on its way says whose it is. */}
            {!ownLast && (
              <p class="group-head author">
                <bdi>{shownName(conv.me)}</bdi>
              </p>
            )}
            {pending.map((p) => (
              <PendingItem key={p.clientId} conv={conv} item={p} />
            ))}
          </li>
        )}
      </ol>
      {/* A zero-height sticky anchor: showing the button must not change scrollHeight, or
          the scroll position kept while older pages load would be off by its height. */}
      <div class="jump-anchor">
        {away.value && (
          <button
            type="button"
            class={catchUp.newCount.value > 0 ? 'jump new-messages' : 'jump'}
            data-testid={catchUp.newCount.value > 0 ? 'new-messages-pill' : 'jump-latest'}
            onClick={() =>
              ref.current?.scrollTo({ top: ref.current.scrollHeight, behavior: 'smooth' })
            }
          >
            {catchUp.newCount.value > 0
              ? `${catchUp.newCount.value} new ${catchUp.newCount.value === 1 ? 'message' : 'messages'} ↓`
              : 'Jump to latest ↓'}
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * A DM's "Seen": under the last of my messages someone's read cursor has reached; a group's
 * says who ("Seen by Ana, Ben", or everyone).
 */
function seenOf(conv: Conversation): { seq: number; label: string } | null {
  const reads = [...conv.reads.value];
  if (!reads.length) return null;
  const others = conv.roomId.split(':').length - 2;
  const messages = conv.messages.value;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.author.id !== conv.me.id || m.deleted) continue;
    const who = reads.filter(([, seq]) => seq >= m.seq).map(([id]) => id);
    if (!who.length) continue;
    const label =
      others < 2
        ? 'Seen'
        : who.length >= others
          ? 'Seen by everyone'
          : `Seen by ${who.map((id) => conv.names.shownNameOf(id)).join(', ')}`;
    return { seq: m.seq, label };
  }
  return null;
}

function StreamEntry({
  conv,
  item,
  seen,
}: {
  conv: Conversation;
  item: StreamItem;
  seen: { seq: number; label: string } | null;
}) {
  switch (item.kind) {
    case 'day':
      return (
        // A list item, not a separator: a separator's text is not read, and a list holds items.
        <li class="day-divider">
          <span>{item.label}</span>
        </li>
      );
    case 'unread':
      return (
        <li class="unread-divider" data-testid="unread-divider">
          <span>New messages</span>
        </li>
      );
    case 'notice':
      return <NoticeLine conv={conv} notice={item.notice} />;
    case 'notices':
      return <NoticeRun conv={conv} notices={item.notices} />;
    case 'group': {
      const head = item.messages[0]!;
      // The author's current name and colour, by id: never the copy the message carried.
      const author = conv.names.current(item.author);
      const group = (
        <li class={`group${item.author.id === conv.me.id ? ' own' : ''}`}>
          {/* Out of the tab order: the name just after it opens the same card. */}
          <PersonButton
            user={author}
            class="group-avatar"
            label={`${shownName(author)}: profile`}
            tabIndex={-1}
          >
            <Avatar user={author} size={36} />
          </PersonButton>
          <div class="group-head">
            <PersonButton
              user={author}
              class="author"
              testId="message-author"
              style={{ color: userColor(author) }}
            >
              <bdi>{shownName(author)}</bdi>
            </PersonButton>
            <UserTag user={author} />
            <time
              dateTime={new Date(head.createdAt).toISOString()}
              title={formatFull(head.createdAt)}
            >
              {formatTime(head.createdAt)}
            </time>
          </div>
          {item.messages.map((m, i) => (
            <Fragment key={m.seq}>
              <MessageItem conv={conv} message={m} first={i === 0} />
              {m.seq === seen?.seq && (
                <p class="seen" data-testid="seen">
                  {seen.label}
                </p>
              )}
            </Fragment>
          ))}
        </li>
      );
      return blockedIds.value.has(item.author.id) ? (
        <BlockedFold count={item.messages.length}>{group}</BlockedFold>
      ) : (
        group
      );
    }
  }
}

/** Messages of someone the user blocks: folded away until asked for, one group at a time. */
function BlockedFold({ count, children }: { count: number; children: ComponentChildren }) {
  const shown = useSignal(false);
  if (shown.value) return <>{children}</>;
  return (
    <li class="notice blocked-fold" data-testid="blocked-fold" tabIndex={-1}>
      <p>
        {count === 1 ? 'A message' : `${count} messages`} from someone you blocked{' '}
        <button
          type="button"
          class="link-button"
          data-testid="show-blocked"
          onClick={() => (shown.value = true)}
        >
          Show
        </button>
      </p>
    </li>
  );
}
