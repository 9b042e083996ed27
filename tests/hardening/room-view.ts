/**
 * One client's picture of a chat, built only from what it received: the event at every seq
 * (its kind and what it names, which replays keep) and each message's current state (which
 * edits and deletes change). The checker compares these across clients and with D1.
 */
import type { Frame } from '../socket-client';

export interface MessageState {
  id: string;
  authorId: string;
  text: string;
  deleted: boolean;
  editedAt: number | null;
}

/** A message as frames and history carry it. */
export interface WireMessage {
  id: string;
  seq: number;
  author: { id: string };
  text: string;
  editedAt: number | null;
  deleted: boolean;
}

export type Applied = 'applied' | 'duplicate' | 'conflict' | 'gap';

export class RoomView {
  /** seq → what the event is: `m:<id>:<author>`, `e:<target>`, `d:<target>` or `n:<kind>:<user>`. */
  readonly events = new Map<number, string>();
  readonly messages = new Map<number, MessageState>();
  lastSeq = 0;
  /** Seqs skipped by a resync (filled from history): not seen as events. */
  readonly skipped: [number, number][] = [];

  /** Applies a `message`, `edit` or `delete` frame; says whether it was next in line. */
  apply(f: Frame): Applied {
    const seq = f.seq as number;
    const sig = signature(f);
    if (seq <= this.lastSeq) {
      const had = this.events.get(seq);
      return had === undefined || had === sig ? 'duplicate' : 'conflict';
    }
    const verdict: Applied = seq === this.lastSeq + 1 ? 'applied' : 'gap';
    this.events.set(seq, sig);
    this.lastSeq = seq;
    if (f.type === 'message') this.putMessage(f.message as WireMessage);
    const target = this.messages.get(f.target as number);
    if (f.type === 'edit' && target && !target.deleted) {
      target.text = f.text as string;
      target.editedAt = f.editedAt as number;
    }
    if (f.type === 'delete' && target) {
      target.deleted = true;
      target.text = '';
    }
    return verdict;
  }

  /** After a resync: the history's messages replace the state; seqs up to roomSeq are done. */
  replaceFromHistory(rows: WireMessage[], roomSeq: number): void {
    this.messages.clear();
    for (const row of rows) this.putMessage(row);
    if (roomSeq > this.lastSeq) this.skipped.push([this.lastSeq + 1, roomSeq]);
    this.lastSeq = Math.max(this.lastSeq, roomSeq);
  }

  private putMessage(m: WireMessage): void {
    this.messages.set(m.seq, {
      id: m.id,
      authorId: m.author.id,
      text: m.deleted ? '' : m.text,
      deleted: m.deleted,
      editedAt: m.editedAt,
    });
  }
}

function signature(f: Frame): string {
  if (f.type === 'message') {
    const m = f.message as WireMessage;
    return `m:${m.id}:${m.author.id}`;
  }
  if (f.type === 'notice') {
    const n = f.notice as { kind: string; subject: { id: string } | null };
    return `n:${n.kind}:${n.subject?.id ?? ''}`;
  }
  return `${f.type === 'edit' ? 'e' : 'd'}:${f.target as number}`;
}

/** Pages a chat's whole history over HTTP, oldest first, with the snapshot's roomSeq. */
export async function fullHistory(
  base: string,
  roomId: string,
  token: string,
): Promise<{ rows: WireMessage[]; roomSeq: number }> {
  const rows: WireMessage[] = [];
  let before: number | null = null;
  let roomSeq = -1;
  for (;;) {
    const query = `limit=100${before === null ? '' : `&before=${before}`}`;
    const res = await fetch(`${base}/api/rooms/${encodeURIComponent(roomId)}/messages?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`history: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as {
      messages: WireMessage[];
      nextBefore: number | null;
      roomSeq: number;
    };
    // The newest page's roomSeq describes the snapshot the walk starts from.
    if (roomSeq < 0) roomSeq = page.roomSeq;
    rows.unshift(...page.messages);
    if (page.nextBefore === null) return { rows, roomSeq };
    before = page.nextBefore;
  }
}
