/**
 * Notices in the message stream (issue 12): each at its seq between the messages, and a run
 * of two or more joins and leaves collapsed into one item; moderation notices never are.
 */
import { describe, expect, it } from 'vitest';
import type { NoticeKind } from '../../src/shared/moderation';
import type { Message } from '../../src/shared/protocol';
import { buildStream, type Notice } from '../../src/web/conversation/stream';

const AT = Date.UTC(2026, 11, 6, 12);
const ada = { id: 'a', name: 'Ada', color: '#000', guest: false };

const message = (seq: number): Message => ({
  id: `m${seq}`,
  roomId: 'r',
  seq,
  author: ada,
  text: `message ${seq}`,
  createdAt: AT + seq,
  editedAt: null,
  deleted: false,
  replyTo: null,
  reactions: [],
});
const notice = (seq: number, kind: NoticeKind): Notice => ({
  key: `n:${seq}`,
  seq,
  notice: { kind, actor: ada, subject: ada, at: AT + seq },
});

const shape = (items: ReturnType<typeof buildStream>) =>
  items
    .filter((i) => i.kind !== 'day')
    .map((i) =>
      i.kind === 'group'
        ? `g${i.messages.map((m) => m.seq).join(',')}`
        : i.kind === 'notice'
          ? `n${i.notice.seq}`
          : i.kind === 'notices'
            ? `run${i.notices.map((n) => n.seq).join(',')}`
            : i.kind,
    );

describe('notices in the stream', () => {
  it('places each notice at its seq and collapses runs of joins and leaves', () => {
    const messages = [1, 5, 6, 9].map(message);
    const notices = [
      notice(2, 'joined'),
      notice(3, 'left'),
      notice(4, 'joined'),
      notice(7, 'joined'),
      notice(8, 'banned'),
      notice(10, 'left'),
      notice(11, 'slow_mode'),
      notice(12, 'joined'),
    ];
    expect(shape(buildStream(messages, notices, 0, 'me'))).toEqual([
      'g1',
      'run2,3,4',
      'g5,6',
      'n7',
      'n8',
      'g9',
      'n10',
      'n11',
      'n12',
    ]);
  });

  it('splits an author’s group where a notice falls between their messages', () => {
    const items = buildStream([1, 3].map(message), [notice(2, 'joined')], 0, 'me');
    expect(shape(items)).toEqual(['g1', 'n2', 'g3']);
  });
});
