/**
 * The chaos checker's record: every send (by clientId), every ack, every edit and delete a
 * client asked for, and anything a client saw that the protocol rules out. `verify` compares
 * the clients' views with each other and with D1's history at the end.
 */
import type { MessageState, RoomView, WireMessage } from './room-view';

interface Send {
  by: string;
  userId: string;
  text: string;
}

export class Ledger {
  readonly sends = new Map<string, Send>();
  readonly acks = new Map<string, number>();
  /** Texts a client asked an edit to set, by target seq. */
  readonly edits = new Map<number, Set<string>>();
  readonly deletes = new Set<number>();
  /** Frames sent by clients whose socket the server had closed: must never take effect. */
  readonly ghostTexts = new Set<string>();
  readonly anomalies: string[] = [];
  readonly errors: Record<string, number> = {};
  ackFrames = 0;

  sent(by: string, userId: string, clientId: string, text: string): void {
    this.sends.set(clientId, { by, userId, text });
  }

  ack(by: string, clientId: string, seq: number): void {
    this.ackFrames += 1;
    const send = this.sends.get(clientId);
    if (!send || send.by !== by) this.anomalies.push(`${by}: ack for a clientId it never sent`);
    const earlier = this.acks.get(clientId);
    if (earlier !== undefined && earlier !== seq) {
      this.anomalies.push(`${by}: ${clientId} acked as seq ${earlier}, then as ${seq}`);
    }
    this.acks.set(clientId, seq);
  }

  editSent(target: number, text: string): void {
    const texts = this.edits.get(target) ?? new Set<string>();
    texts.add(text);
    this.edits.set(target, texts);
  }

  error(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  /**
   * Everything that must hold once faults stopped and every client caught up: returns the
   * problems found (empty when the run was correct).
   */
  verify(views: Map<string, RoomView>, history: WireMessage[], latestSeq: number): string[] {
    const problems = [...this.anomalies];
    const stored = new Map(history.map((m) => [m.seq, m]));
    const bySeq = new Map<number, string>();
    for (const [clientId, send] of this.sends) {
      const seq = this.acks.get(clientId);
      if (seq === undefined) {
        problems.push(`${send.by}: ${clientId} was never acknowledged`);
        continue;
      }
      const other = bySeq.get(seq);
      if (other) problems.push(`seq ${seq} acknowledged to two sends: ${other} and ${clientId}`);
      bySeq.set(seq, clientId);
      const row = stored.get(seq);
      if (!row) {
        problems.push(`acknowledged ${clientId} (seq ${seq}) is not in D1`);
        continue;
      }
      if (row.author.id !== send.userId) problems.push(`seq ${seq}: author ${row.author.id}`);
      const allowed = this.edits.get(seq) ?? new Set();
      const textOk = row.deleted
        ? row.text === ''
        : row.text === send.text || (row.editedAt !== null && allowed.has(row.text));
      if (!textOk) problems.push(`seq ${seq}: stored text ${JSON.stringify(row.text)}`);
    }
    for (const row of history) {
      if (!bySeq.has(row.seq)) {
        problems.push(`seq ${row.seq} stored but never acknowledged to anyone`);
      }
      if (row.deleted && !this.deletes.has(row.seq)) {
        problems.push(`seq ${row.seq} deleted but nobody asked`);
      }
      if (this.ghostTexts.has(row.text)) problems.push(`a ghost's frame was stored: ${row.seq}`);
    }
    const texts = history.filter((m) => !m.deleted).map((m) => m.text);
    if (new Set(texts).size !== texts.length) problems.push('a text is stored twice');
    problems.push(...this.compareViews(views, stored, latestSeq));
    return problems;
  }

  private compareViews(
    views: Map<string, RoomView>,
    stored: Map<number, WireMessage>,
    latestSeq: number,
  ): string[] {
    const problems: string[] = [];
    const order = new Map<number, string>();
    for (const [name, view] of views) {
      if (view.lastSeq !== latestSeq) {
        problems.push(`${name}: at seq ${view.lastSeq}, the room at ${latestSeq}`);
      }
      // One order everywhere: every client that saw an event saw the same one at that seq.
      for (const [seq, sig] of view.events) {
        const first = order.get(seq);
        if (first === undefined) order.set(seq, sig);
        else if (first !== sig) problems.push(`${name}: seq ${seq} is ${sig}, elsewhere ${first}`);
      }
      // Gapless: every seq up to the latest was seen, except what a resync skipped.
      for (let seq = 1; seq <= latestSeq; seq += 1) {
        const skipped = view.skipped.some(([from, to]) => seq >= from && seq <= to);
        if (!skipped && !view.events.has(seq)) {
          problems.push(`${name}: never saw seq ${seq}`);
          break;
        }
      }
      problems.push(...compareMessages(name, view.messages, stored));
    }
    for (const [seq, sig] of order) {
      const [kind, target] = sig.split(':');
      if (kind === 'm' && !stored.has(seq)) problems.push(`message seq ${seq} is not in D1`);
      if (kind === 'e' && !this.edits.has(Number(target))) {
        problems.push(`edit at seq ${seq} of ${target}: nobody asked`);
      }
      if (kind === 'd' && !this.deletes.has(Number(target))) {
        problems.push(`delete at seq ${seq} of ${target}: nobody asked`);
      }
    }
    const deletedAt = new Map<string, number>();
    for (const [seq, sig] of order) {
      if (!sig.startsWith('d:')) continue;
      const first = deletedAt.get(sig);
      if (first !== undefined)
        problems.push(`${sig.slice(2)} deleted twice: seqs ${first}, ${seq}`);
      else deletedAt.set(sig, seq);
    }
    return problems;
  }
}

/** A client's messages must be D1's, field by field (editedAt only while undeleted). */
function compareMessages(
  name: string,
  mine: Map<number, MessageState>,
  stored: Map<number, WireMessage>,
): string[] {
  const problems: string[] = [];
  for (const [seq, row] of stored) {
    const m = mine.get(seq);
    const want = `${row.id}|${row.author.id}|${row.deleted}|${row.deleted ? '' : row.text}|${row.deleted ? '' : row.editedAt}`;
    const got = m && `${m.id}|${m.authorId}|${m.deleted}|${m.text}|${m.deleted ? '' : m.editedAt}`;
    if (got !== want) problems.push(`${name}: seq ${seq} is ${got ?? 'missing'}, D1 has ${want}`);
  }
  for (const seq of mine.keys()) {
    if (!stored.has(seq)) problems.push(`${name}: has message seq ${seq}, D1 does not`);
  }
  return problems;
}
