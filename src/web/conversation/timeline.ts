/**
 * A room's messages in seq order. Events apply exactly once: anything at or below the last
 * applied seq is ignored, and messages are keyed by seq, so a replay after reconnect, a
 * history page overlapping live events, or an ack racing its own broadcast never duplicates.
 */
import { applyReaction } from './reactions';
import { signal } from '@preact/signals';
import type { Message, RoomEvent } from '../../shared/protocol';

/** `meId`: the viewer, whose own reactions are marked `me`. */
export function createTimeline(meId: string | null = null) {
  const bySeq = new Map<number, Message>();
  const messages = signal<readonly Message[]>([]);
  /** The last room event (message, edit or delete) applied. */
  let lastSeq = 0;

  function publish(appendedOnly: boolean, added: Message[] = []) {
    const current = messages.value;
    const tail = current[current.length - 1]?.seq ?? 0;
    // The common case, a new message at the end, needs no sort.
    if (appendedOnly && added.every((m) => m.seq > tail)) {
      messages.value = [...current, ...added.sort((a, b) => a.seq - b.seq)];
    } else {
      messages.value = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    }
  }

  return {
    messages,
    get lastSeq() {
      return lastSeq;
    },
    get: (seq: number) => bySeq.get(seq),
    /** Replaces everything with a fresh page, e.g. on open or after a resync. */
    reset(page: Message[], seq: number) {
      bySeq.clear();
      for (const m of page) bySeq.set(m.seq, m);
      lastSeq = Math.max(seq, ...page.map((m) => m.seq), 0);
      publish(false);
    },
    /** Adds an older page. History is a snapshot newer than what it replaces, so it wins. */
    addPage(page: Message[]) {
      for (const m of page) bySeq.set(m.seq, m);
      publish(false);
    },
    /** Our own message, known from its ack before (or after) its broadcast arrives. */
    addAcked(message: Message) {
      if (bySeq.has(message.seq)) return;
      bySeq.set(message.seq, message);
      publish(true, [message]);
    },
    /**
     * Whether `event` would leave a hole: the room numbers every event, so after seq N the
     * next one to apply is N + 1. (The first page sets the starting seq, so there is always one to compare with.)
     */
    skipsAhead(event: RoomEvent): boolean {
      return event.seq > lastSeq + 1;
    },
    /** Applies one live event; false when it was already applied. */
    apply(event: RoomEvent): boolean {
      if (event.seq <= lastSeq) return false;
      lastSeq = event.seq;
      // Notices (joins, leaves, moderation) live beside the messages (model.ts); a pin's
      // marks its message.
      if (event.type === 'notice') {
        const { kind, target: seq } = event.notice;
        const pinned = seq !== undefined ? bySeq.get(seq) : undefined;
        if (pinned && (kind === 'pinned' || kind === 'unpinned')) {
          bySeq.set(pinned.seq, { ...pinned, pinned: kind === 'pinned' });
          publish(false);
        }
        return true;
      }
      if (event.type === 'message') {
        const replaced = bySeq.has(event.message.seq);
        bySeq.set(event.message.seq, event.message);
        publish(!replaced, replaced ? [] : [event.message]);
        return true;
      }
      const target = bySeq.get(event.target);
      // An edit of a message not loaded yet: its page will come with the edit applied.
      if (!target) return true;
      bySeq.set(
        target.seq,
        event.type === 'edit'
          ? { ...target, text: event.text, editedAt: event.editedAt }
          : event.type === 'reaction'
            ? { ...target, reactions: applyReaction(target.reactions, event, meId) }
            : {
                ...target,
                text: '',
                deleted: true,
                reactions: [],
                removed: event.removed,
                pinned: false,
              },
      );
      publish(false);
      return true;
    },
  };
}

export type Timeline = ReturnType<typeof createTimeline>;
