/** The open chat: header, message stream, who is typing, and the composer. */
import { MentionNames } from './Markdown';
import type { ComponentChildren } from 'preact';
import { ConnectionStatus } from '../connection/ConnectionStatus';
import { PrivateMark } from '../ui/PrivateMark';
import { useFileDrop } from '../files/drop';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import type { Conversation as Model } from './model';
import { typingText } from './typing';
import { ArchivedBar } from '../rooms/ComposerNotes';
import { blockedIds } from '../profile/blocked';
import { lazy } from '../ui/lazy';
import { pairPeer } from '../../shared/dm';
import { useSignal } from '@preact/signals';

// Rare states load when they first occur, not with the first screen. Slow mode: nothing
// shows while its line loads (the composer works meanwhile; the server holds the pace).
const SlowModeNote = lazy(
  () => import('../rooms/SlowModeNote').then((m) => m.SlowModeNote),
  'the slow mode note',
  () => null,
);
// An address that names no chat the reader can open: the server has just said so.
const NoSuchRoom = lazy(
  () => import('./NoSuchRoom').then((m) => m.NoSuchRoom),
  'this page',
  (failed) => (failed ? <p class="placeholder">This chat cannot be opened.</p> : null),
);
// Only a pair's DM with someone the viewer blocks shows it.
const BlockedBar = lazy(
  () => import('../profile/BlockedBar').then((m) => m.BlockedBar),
  'the unblock bar',
);

interface ConversationProps {
  conv: Model;
  title: string;
  topic?: string | null;
  /** The room's description, shown under its topic when the topic is pressed. */
  description?: string;
  /** A private room: the title wears a lock. */
  isPrivate?: boolean;
  /**
   * The title is shown above this conversation already (the widget's panel bar): the heading
   * stays for screen readers and the section's name, out of sight.
   */
  titleShown?: boolean;
  /** Header controls before the title (back, on narrow screens) and after it (people, leave). */
  back?: ComponentChildren;
  tools?: ComponentChildren;
  /** Shown instead of the composer when the user is not a member. */
  onJoin?: () => void;
}

export function Conversation({
  conv,
  title,
  topic,
  description,
  isPrivate,
  titleShown,
  back,
  tools,
  onJoin,
}: ConversationProps) {
  const socket = conv.connection.value;
  // Why the server ended this chat for us for good (banned, removed, left, deleted). It is the
  // one thing said then: what losing the chat makes fail next (its history or description
  // answering 404) must not turn it into "no such room".
  const ended = socket?.closeReason.value;
  const error = ended ? null : conv.error.value;
  const typing = typingText(conv.typing.value);
  const peer = pairPeer(conv.roomId, conv.me.id);
  const drop = useFileDrop(conv.uploads, conv.files && conv.member.value === true);
  if (error?.code === 'room_not_found') return <NoSuchRoom back={back} />;
  // Another pair's or group's DM (403, decided from its id alone): no chat header, no socket.
  if (error?.code === 'forbidden') return <NoSuchRoom back={back} why={error.message} />;
  // Not in the chat list (a visitor's first look): the directory's topic and description.
  topic = topic ?? conv.info.value?.topic;
  description = description ?? conv.info.value?.description;

  return (
    <section
      class="conversation"
      data-testid="conversation"
      data-room-id={conv.roomId}
      aria-labelledby="conversation-title"
      {...drop.handlers}
    >
      {drop.over.value && (
        <div class="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          Drop files to attach them
        </div>
      )}
      <header class="conversation-header">
        {back}
        <div class="conversation-title">
          {/* dir=auto on the element itself: a right-to-left name aligns and truncates at its end. */}
          <h2 id="conversation-title" dir="auto" class={titleShown ? 'visually-hidden' : undefined}>
            {isPrivate && <PrivateMark />}
            {title}
          </h2>
          {(topic || description) && <Topic topic={topic} description={description} />}
        </div>
        {(conv.member.value || ended) && (
          <ConnectionStatus
            state={socket?.state}
            reason={socket?.closeReason.value}
            onRetry={socket?.reconnectNow}
          />
        )}
        {tools}
      </header>
      {conv.state.value === 'loading' && <p class="placeholder">Loading messages…</p>}
      {error ? (
        <p class="placeholder" role="alert" data-testid="conversation-error">
          {error.message}
        </p>
      ) : (
        conv.state.value === 'ready' && (
          <MentionNames.Provider value={{ nameOf: conv.names.nameOf, meId: conv.me.id }}>
            <MessageList conv={conv} label={`Messages in ${title}`} />
          </MentionNames.Provider>
        )
      )}
      <p class="typing" data-testid="typing-indicator" aria-hidden={!typing}>
        {typing}
      </p>
      {/* A refused socket says why twice (error frame, close reason): the bar below shows it. */}
      {conv.problem.value && conv.problem.value !== ended && (
        <p class="problem" role="alert" data-testid="conversation-problem">
          {conv.problem.value}{' '}
          <button type="button" class="link-button" onClick={() => (conv.problem.value = null)}>
            Dismiss
          </button>
        </p>
      )}
      {error ? null : ended ? (
        // No role: the header's connection status (role=status) announces the same reason.
        <div class="join-bar" data-testid="chat-ended">
          {ended}
        </div>
      ) : conv.member.value === false && socket?.state.value !== 'open' ? (
        // (While its socket is still open, the chat just left the list: banned or removed,
        // whose close, with the reason, is on its way. Not "join" in the meantime.)
        <div class="join-bar">
          <span>You are not a member of this room: join to write here.</span>
          {onJoin && (
            <button type="button" class="primary" data-testid="join-room" onClick={onJoin}>
              Join to chat
            </button>
          )}
        </div>
      ) : conv.room.archived.value ? (
        <ArchivedBar />
      ) : peer && blockedIds.value.has(peer) ? (
        <BlockedBar http={conv.api} peer={peer} />
      ) : (
        <>
          {(conv.room.slowModeSeconds.value > 0 || conv.room.sendableAt.value > Date.now()) && (
            <SlowModeNote room={conv.room} />
          )}
          {/* A long name would wrap the placeholder over several lines on a phone. */}
          <Composer
            conv={conv}
            placeholder={`Message ${[...title].length > 24 ? `${[...title].slice(0, 23).join('')}…` : title}`}
          />
        </>
      )}
    </section>
  );
}

/**
 * The chat's topic, on one line cut with "…" in the header (the description's start when it
 * has no topic): a press (click, tap, Enter) shows all of it with the whole description
 * below, another puts it back on one line.
 */
function Topic({ topic, description }: { topic?: string | null; description?: string }) {
  const whole = useSignal(false);
  const line = topic || description!;
  return (
    <button
      type="button"
      class={whole.value ? 'topic whole' : 'topic'}
      dir="auto"
      data-testid="topic"
      aria-expanded={whole.value}
      title={whole.value ? undefined : [topic, description].filter(Boolean).join('\n\n')}
      onClick={() => (whole.value = !whole.value)}
    >
      {whole.value ? (
        <>
          {topic && <span class="topic-text">{topic}</span>}
          {description && (
            <span class="description" dir="auto" data-testid="topic-description">
              {description}
            </span>
          )}
        </>
      ) : (
        line
      )}
    </button>
  );
}
