/**
 * One open chat: its history, the live socket, messages on their way out, who is here
 * and who is typing, and the read cursor.
 */
import { encodeMentions } from './mentions';
import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { Me } from '../../shared/api';
import { codePoints, LIMITS } from '../../shared/limits';
import type { NoticeEvent } from '../../shared/moderation';
import type { ErrorFrame, Message, RoomEvent, ServerFrame } from '../../shared/protocol';
import { createRoomState } from '../rooms/model';
import type { RoomSummary } from '../../shared/api';
import type { Api } from '../api/endpoints';
import { ApiError } from '../api/http';
import { connectRoom, type RoomSocket } from '../connection/room-socket';
import { createPresence } from '../presence/model';
import { createPeople, type People } from '../presence/people';
import { createUploads } from '../files/uploads';
import { createHistory } from './history';
import { createOutbox } from './outbox';
import { createReadCursor } from './read-cursor';
import { createReceipts } from './receipts';
import { createTimeline } from './timeline';
import { createTyping, createTypingNotifier } from './typing';
import { expandCommand } from './commands';

import type { Notice } from './stream';
export type { Notice };

export interface ConversationDeps {
  roomId: string;
  me: Me;
  api: Api;
  /** The read cursor when the chat was opened: where the "new messages" line goes. */
  readSeq: number;
  /**
   * Whether the user may take part: anyone can read a public room, only members get a
   * socket. null while the chat list is still loading.
   */
  member: ReadonlySignal<boolean | null>;
  token?: string | null;
  /** Unsent text left in the composer last time. */
  draft?: string;
  /** A message arrived live (not from history or a replay). */
  onLive?: (message: Message) => void;
  /** A message arrived, was edited or deleted: keeps the chat list's order and preview current. */
  onMessage?: (message: Message) => void;
  /** A moderation notice in this chat's order (a rename or a privacy switch changes its row). */
  onModeration?: () => void;
  onRead?: (seq: number, unreadLeft: number) => void;
  onSocketFailing?: () => void;
  /** The app's directory of current names, shared with the lobby; else one of our own. */
  names?: People;
  /** A permalink's message: the chat opens showing it. */
  openAt?: number | null;
}

/** Older pages a jump to a message loads at most (50 messages each). */
const JUMP_PAGES = 20;

export function createConversation(deps: ConversationDeps) {
  const { roomId, me, api } = deps;
  const timeline = createTimeline(me.id);
  const notices = signal<readonly Notice[]>([]);
  const pinsSeen = signal(0);
  const room = createRoomState(api, roomId, me.id);
  const history = createHistory(api, roomId, timeline, (page, fresh) => {
    const known = fresh ? [] : notices.peek();
    const seen = new Set(known.map((n) => n.seq));
    const added = page.filter((n) => !seen.has(n.seq)).map(toNotice);
    notices.value = [...added, ...known].sort((a, b) => a.seq - b.seq);
  });
  const typing = createTyping();
  const online = createPresence();
  const names = deps.names ?? createPeople();
  /** A problem worth a line above the composer (an edit refused, a rate limit). */
  const problem = signal<string | null>(null);
  const editing = signal<number | null>(null);
  const replyingTo = signal<number | null>(null);
  /** The names picked from the composer's `@` list in this draft (`@name` → id). */
  // `@here` rings the people with a named room open; not in DMs, nor in the global room, where
  // anyone could ring everyone (the server ignores it there too: durable/activity.ts).
  const allowHere = !roomId.startsWith('dm:') && roomId !== 'global';
  const mentions = { picked: new Map<string, string>(), allowHere };
  /** A message to bring into view and mark (a reply's original), with a counter per jump. */
  const highlight = signal<{ seq: number; n: number } | null>(null);
  const draft = signal(deps.draft ?? '');
  /** The room socket, once the first page is on screen. */
  const connection = signal<RoomSocket | null>(null);
  const send = (frame: Parameters<RoomSocket['send']>[0]) =>
    connection.peek()?.send(frame) ?? false;
  const outbox = createOutbox(send);
  // The server ended this chat for us (banned, removed, left elsewhere, room deleted, session
  // over): it will never acknowledge what is still on its way, so say so instead of "Sending…".
  const stopFailing = effect(() => {
    const reason = connection.value?.closeReason.value;
    if (!reason) return;
    for (const m of outbox.items.value) if (m.status === 'pending') outbox.fail(m.clientId, reason);
  });
  const uploads = createUploads(roomId, () => deps.token);
  const typingOut = createTypingNotifier(
    () => send({ type: 'typing' }),
    () => !!draft.peek().trim(),
  );
  const read = createReadCursor({
    initial: deps.readSeq,
    save: (seq) => api.markRead(roomId, seq).then(() => undefined),
    unreadAfter: (seq) =>
      timeline.messages.value.filter((m) => m.seq > seq && !m.deleted && m.author.id !== me.id)
        .length,
    onRead: (seq, left) => deps.onRead?.(seq, left),
  });
  const receipts = createReceipts(api, roomId, me.readReceipts);
  // Between hello and caught_up the room replays what we missed: not news to announce.
  let replaying = false;
  // While a resync refetches the latest page, live events wait here, then apply on top.
  let held: RoomEvent[] | null = null;

  function applyEvent(event: RoomEvent) {
    if (held) return void held.push(event);
    if (timeline.skipsAhead(event)) return void recover();
    if (event.type === 'reaction') names.learn([event.user]);
    if (!timeline.apply(event)) return;
    if (event.type === 'notice') {
      // A replayed notice's people are copies from when it happened: they fill gaps only
      // (hello, presence and `user` frames say who people are now).
      const { actor, subject } = event.notice;
      names.learn([actor, subject].filter((u) => u !== null));
      notices.value = [...notices.value, toNotice(event)];
      if (event.notice.kind === 'pinned' || event.notice.kind === 'unpinned') pinsSeen.value += 1;
      if (room.noticed(event.notice)) deps.onModeration?.();
      return;
    }
    if (event.type !== 'message') {
      // A deleted message leaves the pinned list if it was there (no notice says so).
      if (event.type === 'delete') pinsSeen.value += 1;
      // An edited or deleted last message changes the chat list's preview too.
      const changed = timeline.get(event.target);
      if (changed) deps.onMessage?.(changed);
      return;
    }
    const m = event.message;
    typing.stopped(m.author.id);
    deps.onMessage?.(m);
    if (!replaying && m.author.id !== me.id) deps.onLive?.(m);
  }

  async function resync() {
    held = [];
    await history.resync();
    const events = held;
    held = null;
    events.forEach(applyEvent);
  }

  /**
   * An event skipped a seq (something between was lost on the way): never show the hole.
   * Reload the latest page, then reconnect after its seq so the room replays exactly what is
   * still missing; events arriving meanwhile come again in that replay.
   */
  async function recover() {
    if (held) return;
    held = [];
    await history.resync();
    held = null;
    connection.peek()?.restart();
  }

  function acked(clientId: string, seq: number, id: string, createdAt: number) {
    const sent = outbox.ack(clientId);
    if (!sent) return;
    const { name, color, guest, kind, site } = me;
    const author = { id: me.id, name, color, guest, kind, site };
    timeline.addAcked({
      id,
      roomId,
      seq,
      author,
      text: sent.text,
      createdAt,
      editedAt: null,
      deleted: false,
      replyTo: sent.replyTo,
      reactions: [],
      ...(sent.files.length > 0 && { files: sent.files }),
    });
  }

  function onFrame(frame: ServerFrame) {
    switch (frame.type) {
      case 'hello':
        names.update(frame.you, ...frame.online);
        online.reset(frame.online, frame.onlineCount);
        replaying = frame.seq > timeline.lastSeq;
        outbox.flush();
        receipts.opened();
        break;
      case 'read':
        receipts.read(frame.seq, frame.user);
        break;
      case 'caught_up':
        replaying = false;
        break;
      case 'resync':
        replaying = false;
        void resync();
        break;
      case 'message':
      case 'edit':
      case 'delete':
      case 'reaction':
      case 'notice':
        applyEvent(frame);
        break;
      case 'ack':
        acked(frame.clientId, frame.seq, frame.id, frame.createdAt);
        break;
      case 'online':
        names.update(frame.user);
        online.online(frame.user);
        break;
      case 'offline':
        names.update(frame.user);
        online.offline(frame.user);
        break;
      case 'presence':
        names.update(...frame.online);
        online.reset(frame.online, frame.count);
        break;
      case 'user':
        names.update(frame.user);
        online.renamed(frame.user);
        break;
      case 'typing':
        if (frame.user.id !== me.id) typing.typing(frame.user);
        break;
      case 'error':
        onError(frame);
        break;
    }
  }

  function onError({ code, message, ref, retryAfterMs }: ErrorFrame) {
    const wait = retryAfterMs ? ` (try again in ${Math.ceil(retryAfterMs / 1000)} s)` : '';
    const outgoing = typeof ref === 'string' && outbox.items.value.some((m) => m.clientId === ref);
    // Slow mode (issue 12): the composer counts down what the room says to wait.
    if (code === 'rate_limited' && retryAfterMs && message.startsWith('Slow mode')) {
      room.mustWait(retryAfterMs);
    }
    if (code === 'room_archived') void room.refresh();
    if (outgoing && code === 'rate_limited') {
      // Stays "Sending…" and goes out again by itself once the room allows it.
      outbox.limited(retryAfterMs ?? 1000);
    } else if (typeof ref === 'string' && outgoing) {
      outbox.fail(ref, message + wait);
    } else if (
      (code === 'not_a_member' || code === 'room_not_found') &&
      history.state.peek() !== 'ready'
    ) {
      // Once the history is on screen it stays: the socket's close says why the chat ended.
      history.state.value = 'error';
      history.error.value = { code, message };
    } else {
      problem.value = message + wait;
    }
  }

  /** The room as the directory describes it, fetched for a visitor who has not joined. */
  const info = signal<RoomSummary | null>(null);
  let described = false;
  const stopDescribing = effect(() => {
    if (deps.member.value !== false || described || roomId === 'global') return;
    described = true;
    api.room(roomId).then(
      (detail) => {
        info.value = detail.room;
        // No socket for a visitor: who is online comes from this answer.
        if (!connection.peek()) online.reset(detail.online, detail.room.onlineCount);
      },
      (err: unknown) => {
        // Banned: history answers 404 like a room that does not exist; this says why. A chat
        // lost while open keeps its history on screen (the socket's close says why).
        if (
          err instanceof ApiError &&
          (err.code === 'room_not_found' || err.code === 'banned') &&
          history.state.peek() !== 'ready'
        ) {
          history.state.value = 'error';
          history.error.value = { code: err.code, message: err.message };
        }
      },
    );
  });

  async function jumpTo(seq: number) {
    const oldest = () => timeline.messages.peek()[0]?.seq ?? Infinity;
    let reached = true;
    // Older pages until the message is loaded or pages older than it are (then its seq was
    // an edit's, a reaction's or a notice's, never a message).
    for (let page = 0; !timeline.get(seq) && oldest() > seq; page += 1) {
      if (seq < 1 || seq > timeline.lastSeq || !history.hasOlder.peek()) break;
      if (page === JUMP_PAGES) {
        reached = false;
        break;
      }
      try {
        await history.older();
      } catch {
        reached = false;
        break;
      }
    }
    if (timeline.get(seq)) highlight.value = { seq, n: (highlight.peek()?.n ?? 0) + 1 };
    else if (reached) problem.value = 'That message does not exist in this chat';
    else problem.value = 'That message is too far back to show here';
  }

  void history.open().then(() => {
    if (deps.openAt != null && history.state.peek() === 'ready') void jumpTo(deps.openAt);
  });
  // The socket opens once the first page is on screen and the user is a member.
  const stopConnecting = effect(() => {
    if (history.state.value !== 'ready' || !deps.member.value || connection.peek()) return;
    connection.value = connectRoom({
      roomId,
      after: () => timeline.lastSeq,
      token: deps.token,
      onFrame,
      onFailing: deps.onSocketFailing,
    });
  });

  return {
    roomId,
    me,
    api,
    state: history.state,
    info,
    names,
    error: history.error,
    problem,
    messages: timeline.messages,
    pending: outbox.items,
    notices,
    /** Ownership and moderation (issue 12): role, archive, slow mode. */
    room,
    online: online.users,
    /** How many are online here: more than `online` names in a crowded room. */
    onlineCount: online.count,
    typing: typing.users,
    editing,
    member: deps.member,
    readSeqAtOpen: deps.readSeq,
    readSeq: read.seq,
    /** DMs: how far each other member has read, by id (none: unknown, or receipts off). */
    reads: receipts.reads,
    hasOlder: history.hasOlder,
    loadingOlder: history.loadingOlder,
    connection,
    draft,

    async loadOlder() {
      try {
        await history.older();
      } catch (err) {
        problem.value = err instanceof Error ? err.message : 'Could not load older messages';
      }
    },
    send(text: string): boolean {
      const trimmed = expandCommand(text.trim());
      const files = uploads.ready();
      if (files === null) {
        problem.value = 'Wait for the files to finish uploading, or remove them';
        return false;
      }
      if (!trimmed && files.length === 0) return false;
      if (codePoints(trimmed) > LIMITS.messageChars) {
        problem.value = `Messages are limited to ${LIMITS.messageChars} characters`;
        return false;
      }
      problem.value = null;
      outbox.send(
        encodeMentions(trimmed, mentions.picked, mentions.allowHere),
        replyingTo.peek(),
        files,
      );
      uploads.sent();
      room.sent();
      replyingTo.value = null;
      mentions.picked.clear();
      return true;
    },
    /** What the composer's `@` list picked, and whether `@here` may be used. */
    mentions,
    /** Files attached to the message being written (uploading as soon as they are added). */
    uploads,
    /**
     * Whether files can be shared here: the app (a session cookie) shares them, the widget
     * (a token) does not.
     */
    files: !deps.token,
    /**
     * The widget's token, with which it fetches the images it shows (an `<img>` sends the
     * app's cookie but cannot send a token); null in the app.
     */
    fileToken: deps.token ?? null,
    /** The message the next send replies to (set by "Reply", cleared by sending or ×). */
    replyingTo,
    /** The message `seq` if it is loaded; read in a render, it re-renders as pages load. */
    messageAt(seq: number) {
      void timeline.messages.value; // subscribes the caller
      return timeline.get(seq);
    },
    highlight,
    /**
     * Brings message `seq` into view: older pages load until it is there (at most
     * JUMP_PAGES of them; a message further back says so instead of loading on and on).
     */
    jumpTo,
    retry: outbox.retry,
    discard: outbox.discard,
    edit(seq: number, text: string) {
      const trimmed = text.trim();
      const current = timeline.get(seq);
      editing.value = null;
      if (!trimmed || !current || trimmed === current.text) return;
      if (!send({ type: 'edit', target: seq, text: trimmed })) {
        problem.value = 'Not connected: the edit was not saved';
      }
    },
    remove(seq: number) {
      if (!send({ type: 'delete', target: seq })) {
        problem.value = 'Not connected: the message was not deleted';
      }
    },
    /** Adds or takes back the viewer's reaction; it shows when the room's event comes back. */
    react(seq: number, emoji: string, on: boolean) {
      if (!send({ type: 'react', target: seq, emoji, on })) {
        problem.value = 'Not connected: the reaction was not sent';
      }
    },
    /** The owner and moderators of a room, either member of a DM (the room checks again). */
    mayPin: computed(() => roomId.startsWith('dm:') || room.moderates.value),
    /** Pins or unpins; the message shows it when the room's notice comes back. */
    pin(seq: number, on: boolean) {
      if (!send({ type: 'pin', target: seq, on })) {
        problem.value = 'Not connected: the message was not pinned';
      }
    },
    /** Counts the pins and unpins seen live, so an open pinned list reads again. */
    pinsSeen,
    typed: typingOut.typed,
    /** Messages up to `seq` have been on screen in a visible tab. */
    seen(seq: number) {
      if (deps.member.peek()) read.seen(seq);
    },
    dispose() {
      stopFailing();
      stopConnecting();
      stopDescribing();
      history.dispose();
      connection.peek()?.close();
      outbox.dispose();
      uploads.dispose();
      typing.dispose();
      typingOut.dispose();
      read.flush();
    },
  };
}

export type Conversation = ReturnType<typeof createConversation>;

function toNotice(event: NoticeEvent): Notice {
  return { key: `n:${event.seq}`, seq: event.seq, notice: event.notice };
}
