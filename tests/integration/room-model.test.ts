/**
 * A model-based test of a room (fast-check): random sequences of send, retry, edit, delete,
 * react, disconnect, reconnect (resuming from what the client saw) and hibernation, run
 * against a real Room through real sockets, and against a small reference model. After
 * every command the room's answer is the model's (the next seq, the same ack for a retry,
 * the documented refusal); at the end every client's view built from the events it
 * received, the D1 history and a fresh replay all equal the model's state.
 * `PARLOR_SEED=<n>` replays a failing run.
 */
import { env, evictDurableObject } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clientId,
  createRoom,
  drain,
  guest,
  history,
  join,
  openRoom,
  type TestSocket,
} from '../helpers';
import type { Frame } from '../socket-client';

const USERS = 3;
/** The person who creates the room (its owner). */
const OWNER = 0;
const EMOJI = ['👍', '🎉', '❤️'];

interface MessageState {
  author: number;
  text: string;
  deleted: boolean;
  /** emoji → users (indexes) who reacted with it */
  reactions: Map<string, Set<number>>;
}

/** What the room should hold, and what each client should have seen. */
class Model {
  seq = 0;
  readonly messages = new Map<number, MessageState>();
  /** Each user's sent clientIds, with the seq their message got. */
  readonly sent: { clientId: string; seq: number }[][] = [[], [], []];
  readonly connected = [true, true, true];
}

/** A client's view, built only from the events its sockets received, as the app builds it. */
class View {
  seq = 0;
  readonly messages = new Map<number, MessageState>();
  constructor(private readonly userIds: string[]) {}

  apply(f: Frame): void {
    // Every event takes the next seq: a client's stream is gapless, across resumes too.
    expect(f.seq, `event after ${this.seq}: ${JSON.stringify(f)}`).toBe(this.seq + 1);
    this.seq = f.seq as number;
    if (f.type === 'message') {
      const m = f.message as { author: { id: string }; text: string; seq: number };
      this.messages.set(m.seq, {
        author: this.userIds.indexOf(m.author.id),
        text: m.text,
        deleted: false,
        reactions: new Map(),
      });
    } else if (f.type === 'edit') {
      this.messages.get(f.target as number)!.text = f.text as string;
    } else if (f.type === 'delete') {
      this.messages.get(f.target as number)!.deleted = true;
    } else if (f.type === 'reaction') {
      const m = this.messages.get(f.target as number)!;
      const user = this.userIds.indexOf((f.user as { id: string }).id);
      const set = m.reactions.get(f.emoji as string) ?? new Set<number>();
      if (f.on) set.add(user);
      else set.delete(user);
      m.reactions.set(f.emoji as string, set);
    }
  }
}

// Notices (joins, leaves, moderation) take seqs in the same order; the model has none after
// the joins that set the room up.
const EVENT_TYPES = new Set(['message', 'edit', 'delete', 'reaction', 'notice']);

class Real {
  readonly sockets: (TestSocket | null)[];
  readonly views: View[];
  hibernations = 0;
  constructor(
    readonly roomId: string,
    readonly users: { id: string; token: string }[],
    sockets: TestSocket[],
  ) {
    this.sockets = sockets;
    this.views = users.map(() => new View(users.map((u) => u.id)));
  }

  /** Applies every event the socket has received so far to its user's view. */
  sync(u: number): void {
    const q = this.sockets[u]?.q;
    if (!q) return;
    for (let i = 0; i < q.frames.length;) {
      const f = q.frames[i]!;
      if (EVENT_TYPES.has(f.type)) {
        this.views[u]!.apply(f);
        q.frames.splice(i, 1);
      } else i++;
    }
  }

  /** Returns an event `request` took to the socket's queue, in its place in the order. */
  putBack(u: number, f: Frame): void {
    const frames = this.sockets[u]!.q.frames;
    const later = frames.findIndex(
      (x) => EVENT_TYPES.has(x.type) && (x.seq as number) > (f.seq as number),
    );
    frames.splice(later < 0 ? frames.length : later, 0, f);
  }

  /**
   * Sends a frame and waits for what answers it (`until`), or for an error about it. A
   * `rate_limited` refusal is waited out and the frame sent again: the model does not keep
   * the clock, and the limits have tests of their own.
   */
  async request(u: number, frame: object, until: (f: Frame) => boolean): Promise<Frame> {
    const socket = this.sockets[u]!;
    const ref =
      (frame as { clientId?: string; target?: number }).clientId ??
      (frame as { target?: number }).target;
    for (;;) {
      socket.send(frame);
      const answer = await socket.q.take(
        (f) => until(f) || (f.type === 'error' && f.ref === ref),
        10_000,
        `answer to ${JSON.stringify(frame)}`,
      );
      if (answer.type === 'error' && answer.code === 'rate_limited') {
        await new Promise((r) => setTimeout(r, (answer.retryAfterMs as number) + 20));
        continue;
      }
      return answer;
    }
  }
}

type Command = fc.AsyncCommand<Model, Real>;

/** A target seq: one of the model's messages (by index), or one that never existed. */
function targetOf(m: Model, pick: number): number {
  const seqs = [...m.messages.keys()];
  return seqs.length === 0 || pick % 7 === 6 ? m.seq + 1000 : seqs[pick % seqs.length]!;
}

/** The event a command caused: of its type and target, and newer than any before it. */
const eventFrom = (m: Model, type: string, target: number) => (f: Frame) =>
  f.type === type && f.target === target && (f.seq as number) > m.seq;

class Send implements Command {
  constructor(
    readonly u: number,
    readonly text: string,
  ) {}
  check = (m: Readonly<Model>) => m.connected[this.u]!;
  async run(m: Model, r: Real) {
    const id = clientId();
    const ack = await r.request(
      this.u,
      { type: 'send', clientId: id, text: this.text },
      (f) => f.type === 'ack' && f.clientId === id,
    );
    expect(ack.type).toBe('ack');
    expect(ack.seq).toBe(m.seq + 1);
    m.seq += 1;
    m.messages.set(m.seq, {
      author: this.u,
      text: this.text.trim(),
      deleted: false,
      reactions: new Map(),
    });
    m.sent[this.u]!.push({ clientId: id, seq: m.seq });
  }
  toString = () => `send(${this.u}, ${JSON.stringify(this.text)})`;
}

/** The same clientId again (a client that lost the ack): the first ack, nothing stored. */
class Retry implements Command {
  constructor(
    readonly u: number,
    readonly pick: number,
  ) {}
  check = (m: Readonly<Model>) => m.connected[this.u]! && m.sent[this.u]!.length > 0;
  async run(m: Model, r: Real) {
    const sent = m.sent[this.u]!;
    const { clientId: id, seq } = sent[this.pick % sent.length]!;
    const ack = await r.request(
      this.u,
      { type: 'send', clientId: id, text: 'a retry' },
      (f) => f.type === 'ack' && f.clientId === id,
    );
    expect(ack).toMatchObject({ type: 'ack', seq });
  }
  toString = () => `retry(${this.u}, ${this.pick})`;
}

class Edit implements Command {
  constructor(
    readonly u: number,
    readonly pick: number,
    readonly text: string,
  ) {}
  check = (m: Readonly<Model>) => m.connected[this.u]!;
  async run(m: Model, r: Real) {
    const target = targetOf(m, this.pick);
    const state = m.messages.get(target);
    const answer = await r.request(
      this.u,
      { type: 'edit', target, text: this.text },
      eventFrom(m, 'edit', target),
    );
    if (!state || state.deleted)
      return void expect(answer).toMatchObject({ code: 'message_not_found' });
    if (state.author !== this.u) return void expect(answer).toMatchObject({ code: 'not_author' });
    expect(answer).toMatchObject({ type: 'edit', seq: m.seq + 1 });
    m.seq += 1;
    state.text = this.text.trim();
    r.putBack(this.u, answer); // the event is also the user's view's
  }
  toString = () => `edit(${this.u}, ${this.pick}, ${JSON.stringify(this.text)})`;
}

class Delete implements Command {
  constructor(
    readonly u: number,
    readonly pick: number,
  ) {}
  check = (m: Readonly<Model>) => m.connected[this.u]!;
  async run(m: Model, r: Real) {
    const target = targetOf(m, this.pick);
    const state = m.messages.get(target);
    const answer = await r.request(
      this.u,
      { type: 'delete', target },
      eventFrom(m, 'delete', target),
    );
    if (!state || state.deleted)
      return void expect(answer).toMatchObject({ code: 'message_not_found' });
    // User 0 made the room: its owner may remove anyone's message (issue 12).
    if (state.author !== this.u && this.u !== OWNER) {
      return void expect(answer).toMatchObject({ code: 'not_author' });
    }
    expect(answer).toMatchObject({ type: 'delete', seq: m.seq + 1 });
    m.seq += 1;
    state.deleted = true;
    r.putBack(this.u, answer);
  }
  toString = () => `delete(${this.u}, ${this.pick})`;
}

class React implements Command {
  constructor(
    readonly u: number,
    readonly pick: number,
    readonly emoji: string,
    readonly on: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.connected[this.u]!;
  async run(m: Model, r: Real) {
    const target = targetOf(m, this.pick);
    const state = m.messages.get(target);
    const frame = { type: 'react', target, emoji: this.emoji, on: this.on };
    const has = state?.reactions.get(this.emoji)?.has(this.u) ?? false;
    if (state && !state.deleted && has === this.on) {
      // A repeat: no event and no answer. A send after it proves it was handled (one
      // socket's frames are handled in order) and that it took no seq.
      r.sockets[this.u]!.send(frame);
      return new Send(this.u, 'after a repeat').run(m, r);
    }
    const answer = await r.request(
      this.u,
      frame,
      (f) => eventFrom(m, 'reaction', target)(f) && f.emoji === this.emoji,
    );
    if (!state || state.deleted)
      return void expect(answer).toMatchObject({ code: 'message_not_found' });
    expect(answer).toMatchObject({ type: 'reaction', seq: m.seq + 1, on: this.on });
    m.seq += 1;
    const set = state.reactions.get(this.emoji) ?? new Set<number>();
    if (this.on) set.add(this.u);
    else set.delete(this.u);
    state.reactions.set(this.emoji, set);
    r.putBack(this.u, answer);
  }
  toString = () => `react(${this.u}, ${this.pick}, ${this.emoji}, ${this.on})`;
}

class Disconnect implements Command {
  constructor(readonly u: number) {}
  check = (m: Readonly<Model>) => m.connected[this.u]!;
  async run(m: Model, r: Real) {
    r.sync(this.u);
    r.sockets[this.u]!.close();
    r.sockets[this.u] = null;
    m.connected[this.u] = false;
  }
  toString = () => `disconnect(${this.u})`;
}

/** Resumes from the last seq its view holds: the replay is exactly what it missed. */
class Reconnect implements Command {
  constructor(readonly u: number) {}
  check = (m: Readonly<Model>) => !m.connected[this.u]!;
  async run(m: Model, r: Real) {
    const view = r.views[this.u]!;
    const socket = await openRoom(r.roomId, r.users[this.u]!.token, view.seq);
    const end = await socket.q.take((f) => f.type === 'caught_up' || f.type === 'resync');
    expect(end).toMatchObject({ type: 'caught_up', seq: m.seq });
    r.sockets[this.u] = socket;
    r.sync(this.u);
    expect(view.seq).toBe(m.seq);
    m.connected[this.u] = true;
  }
  toString = () => `reconnect(${this.u})`;
}

/** The room is evicted from memory; its sockets hibernate and stay open. */
class Hibernate implements Command {
  check = () => true;
  async run(_m: Model, r: Real) {
    for (let u = 0; u < USERS; u++) r.sync(u);
    try {
      await evictDurableObject(env.ROOM.get(env.ROOM.idFromName(r.roomId)));
      r.hibernations += 1;
    } catch (err) {
      // Twice in a row: it is already out of memory, which is what this command wants.
      if (!String(err).includes('not currently running')) throw err;
    }
  }
  toString = () => 'hibernate';
}

const user = fc.integer({ min: 0, max: USERS - 1 });
const text = fc.oneof(
  fc.constantFrom('hello', '**bold**', '`code`', '  padded  ', 'مرحبا', '👍🏽', 'a\nb'),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
);
const commands = fc.commands(
  [
    fc.tuple(user, text).map(([u, t]) => new Send(u, t)),
    fc.tuple(user, text).map(([u, t]) => new Send(u, t)),
    fc.tuple(user, fc.nat()).map(([u, p]) => new Retry(u, p)),
    fc.tuple(user, fc.nat(), text).map(([u, p, t]) => new Edit(u, p, t)),
    fc.tuple(user, fc.nat()).map(([u, p]) => new Delete(u, p)),
    fc
      .tuple(user, fc.nat(), fc.constantFrom(...EMOJI), fc.boolean())
      .map(([u, p, e, on]) => new React(u, p, e, on)),
    user.map((u) => new Disconnect(u)),
    user.map((u) => new Reconnect(u)),
    fc.constant(new Hibernate()),
  ],
  { maxCommands: 30 },
);

/** The model's state in the shape compared: seq → author, text or deleted, reactions. */
function snapshot(messages: Map<number, MessageState>) {
  return [...messages]
    .sort(([a], [b]) => a - b)
    .map(([seq, s]) => ({
      seq,
      author: s.author,
      text: s.deleted ? null : s.text,
      reactions: s.deleted
        ? []
        : [...s.reactions]
            .filter(([, users]) => users.size > 0)
            .map(([emoji, users]) => `${emoji}:${[...users].sort().join(',')}`)
            .sort(),
    }));
}

const seed = process.env.PARLOR_SEED ? Number(process.env.PARLOR_SEED) : undefined;

describe('a room against its model', () => {
  it('agrees with the model after any sequence of commands, and every view converges', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const users = [await guest(), await guest(), await guest()];
        const room = await createRoom(users[0]!.token);
        for (const u of users.slice(1)) await join(room.id, u.token);
        const sockets = [];
        for (const u of users) sockets.push(await openRoom(room.id, u.token));
        const real = new Real(room.id, users, sockets);
        const model = new Model();
        // The two joins are notices, seqs 1 and 2: the model and every view start after them.
        model.seq = await env.ROOM.get(env.ROOM.idFromName(room.id)).lastSeq();
        for (const view of real.views) view.seq = model.seq;
        try {
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          // Everyone comes back and catches up; then all views are the model.
          for (let u = 0; u < USERS; u++) {
            if (!model.connected[u]) await new Reconnect(u).run(model, real);
          }
          const expected = snapshot(model.messages);
          for (let u = 0; u < USERS; u++) {
            await real.sockets[u]!.q.take(() => false, 50).catch(() => {}); // let frames land
            real.sync(u);
            expect(snapshot(real.views[u]!.messages), `user ${u}'s view`).toEqual(expected);
          }
          // D1's history, once the room has copied everything.
          await drain(room.id);
          const page = await history(room.id, users[0]!.token, '?limit=100');
          const fromD1 = page.messages.map((msg) => ({
            seq: msg.seq,
            author: users.findIndex((u) => u.id === msg.author.id),
            text: msg.deleted ? null : msg.text,
            reactions: msg.deleted
              ? []
              : msg.reactions
                  .map(
                    (r) =>
                      `${r.emoji}:${r.users
                        .map((id) => users.findIndex((u) => u.id === id))
                        .sort()
                        .join(',')}`,
                  )
                  .sort(),
          }));
          expect(fromD1).toEqual(expected);
          // A fresh client replaying from the start sees the same.
          const fresh = new View(users.map((u) => u.id));
          const replay = await openRoom(room.id, users[1]!.token, 0);
          await replay.q.take((f) => f.type === 'caught_up');
          for (const f of replay.q.frames.filter((f) => EVENT_TYPES.has(f.type))) fresh.apply(f);
          replay.close();
          expect(snapshot(fresh.messages)).toEqual(expected);
        } finally {
          for (const s of real.sockets) s?.close();
        }
      }),
      { numRuns: Number(process.env.PARLOR_RUNS ?? 12), ...(seed !== undefined && { seed }) },
    );
  }, 300_000);
});
