/**
 * The chat list's live rules as data (src/web/chats/rows.ts): what an activity notice and a
 * message in the open chat do to a row — its preview, unread and mentions; and how re-reads of
 * one row are ordered (src/web/chats/row-reads.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ChatListItem } from '../../src/shared/api';
import type { ActivityFrame, Message } from '../../src/shared/protocol';
import { rowReads } from '../../src/web/chats/row-reads';
import { blockedIds } from '../../src/web/profile/blocked';
import { changesRow, previewOf, withActivity, withMessage } from '../../src/web/chats/rows';

const ME = 'me';

function message(seq: number, text: string, by = 'ann'): Message {
  return {
    id: `m${seq}`,
    roomId: 'r',
    seq,
    author: { id: by, name: by, color: '#000000', guest: true },
    text,
    createdAt: seq * 1000,
    editedAt: null,
    deleted: false,
    replyTo: null,
    reactions: [],
  };
}

function row(last: Message): ChatListItem {
  return {
    id: 'r',
    kind: 'public',
    name: 'r',
    lastSeq: last.seq,
    lastActivityAt: last.createdAt,
    last,
    unread: 0,
    mentions: 0,
    readSeq: last.seq,
    notify: 'mentions',
  } as ChatListItem;
}

function activity(seq: number, last: Message, extra: Partial<ActivityFrame> = {}): ActivityFrame {
  return {
    type: 'activity',
    roomId: 'r',
    kind: 'public',
    seq,
    at: seq * 1000,
    count: 1,
    last,
    ...extra,
  };
}

describe('a chat list row', () => {
  it("counts mentions by the hub's word, whoever wrote the notice's newest message", () => {
    const five = row(message(5, 'five'));
    // Mallory, whom the user blocks, named them: their hub shard says it is no mention.
    const fromBlocked = activity(6, message(6, 'hi <@me>', 'mallory'), {
      mentioned: [ME],
      mentionsYou: false,
    });
    expect(withActivity(five, fromBlocked, false, ME)).toMatchObject({
      lastSeq: 6,
      unread: 1,
      mentions: 0,
    });
    // Someone else named them in the same notice, before Mallory's newest message: it counts.
    const both = activity(7, message(7, 'plain', 'mallory'), { count: 2, mentionsYou: true });
    expect(withActivity(five, both, false, ME)).toMatchObject({ unread: 2, mentions: 1 });
  });

  it('moves to a newer message and counts it unread and mentioning, unless seen or ours', () => {
    const five = row(message(5, 'five'));
    const six = activity(6, message(6, 'hi @me'), { mentioned: [ME] });
    expect(withActivity(five, six, false, ME)).toMatchObject({
      lastSeq: 6,
      last: { seq: 6, text: 'hi @me' },
      unread: 1,
      mentions: 1,
    });
    expect(withActivity(five, six, true, ME)).toMatchObject({ lastSeq: 6, unread: 0, mentions: 0 });
    const ours = activity(6, message(6, 'mine', ME));
    expect(withActivity(five, ours, false, ME)).toMatchObject({ unread: 0 });
    // A notice it has already seen changes nothing.
    expect(withActivity(five, activity(5, message(5, 'five')), false, ME)).toBe(five);
    expect(withMessage(five, message(7, 'seven')).last).toMatchObject({ seq: 7 });
  });

  it('counts a message of a chat open in a background tab once the lobby reports it', () => {
    // The room's socket brings the message first; the lobby's notice comes up to 250 ms later.
    const shown = withMessage(row(message(5, 'five')), message(6, 'six'));
    expect(shown.last).toMatchObject({ seq: 6 });
    const hidden = withActivity(shown, activity(6, message(6, 'six')), false, ME);
    expect(hidden).toMatchObject({ lastSeq: 6, unread: 1 });
    // In a visible tab the same notice counts nothing.
    expect(withActivity(shown, activity(6, message(6, 'six')), true, ME)).toMatchObject({
      lastSeq: 6,
      unread: 0,
    });
  });

  it('keeps the newest message as its preview when an edit of an older one arrives', () => {
    const five = row(message(5, 'five'));
    // Event 6 edits message 3 and adds a mention: its notice quotes message 3.
    const edited = { ...message(3, 'now @me'), editedAt: 6000 };
    const edit = activity(6, edited, { changed: true, count: 0, mentioned: [ME] });
    for (const seen of [true, false]) {
      expect(withActivity(five, edit, seen, ME)).toMatchObject({
        lastSeq: 6,
        last: { seq: 5, text: 'five' },
      });
    }
    expect(withMessage(five, edited).last).toMatchObject({ seq: 5, text: 'five' });
    // An edit of the newest message is the preview's new text.
    const newestEdited = { ...message(5, 'five, edited'), editedAt: 7000 };
    expect(withMessage(five, newestEdited).last).toMatchObject({ text: 'five, edited' });
    expect(
      withActivity(five, activity(7, newestEdited, { changed: true }), true, ME).last,
    ).toMatchObject({ text: 'five, edited' });
  });
});

describe('which changes a row reads again', () => {
  const change = (changedSeq?: number) =>
    activity(9, message(8, 'eight'), { changed: true, count: 0, changedSeq });

  it('those past its read cursor or at its preview, not an old message already read', () => {
    const read = { ...row(message(8, 'eight')), readSeq: 6 };
    expect(changesRow(read, change(7))).toBe(true); // unread: counts may change
    expect(changesRow(read, change(6))).toBe(false); // read, and older than the preview
    expect(changesRow(read, change(2))).toBe(false);
    const allRead = { ...read, readSeq: 8 };
    expect(changesRow(allRead, change(8))).toBe(true); // the preview itself
    expect(changesRow(allRead, change(5))).toBe(false);
    // A notice without changes, and one from a server that does not say how far: no / yes.
    expect(changesRow(read, activity(9, message(9, 'nine')))).toBe(false);
    expect(changesRow(allRead, change(undefined))).toBe(true);
  });
});

describe('re-reads of one row', () => {
  /** A read function whose answers the test gives, in the order it chooses. */
  function reads() {
    const calls: { id: string; answer: (stale: boolean) => void }[] = [];
    const read = (id: string) =>
      new Promise<boolean>((resolve) => calls.push({ id, answer: resolve }));
    return { calls, read };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('reads one chat once at a time, and once more after for everything asked meanwhile', async () => {
    const { calls, read } = reads();
    const reread = rowReads(read, { pauseMs: 0 });
    const first = reread('a');
    const during = [reread('a'), reread('a'), reread('a')];
    void reread('b'); // another chat's read is its own
    expect(calls.map((c) => c.id)).toEqual(['a', 'b']);
    calls[0]!.answer(false);
    await settle();
    // The burst of three while 'a' was read: one more read, not three.
    expect(calls.map((c) => c.id)).toEqual(['a', 'b', 'a']);
    calls[2]!.answer(false);
    await Promise.all([first, ...during]);
    expect(calls).toHaveLength(3);
    // Done: the next ask reads again.
    void reread('a');
    expect(calls).toHaveLength(4);
  });

  it('reads again while the answer is older than the live row, a bounded number of times', async () => {
    const { calls, read } = reads();
    const reread = rowReads(read, { tries: 3, pauseMs: 0 });
    const done = reread('a');
    calls[0]!.answer(true);
    while (calls.length < 2) await settle(); // (a bug that never reads again times out)
    calls[1]!.answer(false); // the copy caught up
    await done;
    expect(calls).toHaveLength(2);

    const stuck = reread('a');
    for (let n = 2; n < 5; n += 1) {
      while (calls.length <= n) await settle();
      calls[n]!.answer(true);
    }
    await stuck;
    expect(calls).toHaveLength(5); // three tries, then the live row stands
  });
});

describe('the preview line', () => {
  const name = (u: { name: string }) => u.name;
  const nameOfId = (id: string) => (id === ME ? 'me' : 'someone');

  it('tags a widget user after their name, so a site’s user never passes for an account', () => {
    const from = (author: Partial<Message['author']>) => {
      const m = message(3, 'hello <@me>');
      return previewOf(row({ ...m, author: { ...m.author, ...author } }), ME, name, nameOfId);
    };
    expect(from({ name: 'owner', kind: 'identified', site: 'https://shop.example' })).toBe(
      'owner (via shop.example): hello \u2068@me\u2069',
    );
    expect(from({ name: 'Val', kind: 'visitor' })).toBe('Val (visitor): hello \u2068@me\u2069');
    expect(from({ name: 'ann' })).toBe('ann: hello \u2068@me\u2069');
    expect(from({ id: ME, name: 'me' })).toBe('You: hello \u2068@me\u2069');
  });

  it('shows Markdown as the words it marks, on one line', () => {
    const of = (text: string) => previewOf(row(message(3, text)), ME, name, nameOfId);
    expect(of('**عريض** and __bold__, ~~gone~~, `code`')).toBe('ann: عريض and bold, gone, code');
    expect(of('> quoted\n- item one\n1. first')).toBe('ann: quoted item one first');
    expect(of('[evil](https://evil.example "t") ![a cat](https://x.org/c.png)')).toBe(
      'ann: evil a cat',
    );
    // An address with parentheses in it (as the message's own links allow) is left out whole.
    expect(of('see [the page](https://en.wikipedia.org/wiki/Pike_(fish)) now')).toBe(
      'ann: see the page now',
    );
    // A code block is its code, without its fences or their language.
    expect(of('```js\nconst a = 1;\n```')).toBe('ann: const a = 1;');
    // What only looks like a marker stays: a lone star, snake_case, 2 ** 3.
    expect(of('a * b, snake_case_name, 2 ** 3')).toBe('ann: a * b, snake_case_name, 2 ** 3');
  });

  it('folds the text of someone the user blocks, as the conversation does', () => {
    const m = message(3, 'buy my stuff');
    blockedIds.value = new Set([m.author.id]);
    try {
      expect(previewOf(row(m), ME, name, nameOfId)).toBe('ann: A message from someone you blocked');
    } finally {
      blockedIds.value = new Set();
    }
    expect(previewOf(row(m), ME, name, nameOfId)).toBe('ann: buy my stuff');
  });
});
