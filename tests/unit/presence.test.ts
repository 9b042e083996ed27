import { describe, expect, it } from 'vitest';
import { Presence } from '../../src/durable/presence';

const user = (id: string) => ({ id, name: id, color: '#000000', guest: true });
const socket = () => new WebSocketPair()[1];

describe('Presence', () => {
  it('counts each user once across tabs and reports coming and going only at the edges', () => {
    const presence = new Presence(() => []);
    const [tab1, tab2] = [socket(), socket()];
    expect(presence.add(tab1, user('a'))).toBe(true);
    expect(presence.add(tab2, user('a'))).toBe(false);
    expect(presence.list().map((u) => u.id)).toEqual(['a']);
    expect(presence.remove(tab1, user('a'))).toBe(false);
    expect(presence.remove(tab2, user('a'))).toBe(true);
    expect(presence.size).toBe(0);
  });

  it('ignores a second close of the same socket', () => {
    const presence = new Presence(() => []);
    const [tab1, tab2] = [socket(), socket()];
    presence.add(tab1, user('a'));
    presence.add(tab2, user('a'));
    expect(presence.remove(tab1, user('a'))).toBe(false);
    expect(presence.remove(tab1, user('a'))).toBe(false);
    expect(presence.has('a')).toBe(true);
  });

  it('rebuilds from the sockets and their attachments after a wake', () => {
    const ws = socket();
    ws.serializeAttachment({ user: user('b') });
    const presence = new Presence(() => [ws]);
    expect(presence.list()).toEqual([user('b')]);
    expect(presence.add(ws, user('b'))).toBe(false);
    expect(presence.remove(ws, user('b'))).toBe(true);
  });

  it('counts the socket whose close woke the object, so its user goes offline', () => {
    const [other, closing] = [socket(), socket()];
    other.serializeAttachment({ user: user('a') });
    closing.serializeAttachment({ user: user('b') });
    // After a wake the runtime lists only the still-open socket.
    const presence = new Presence(() => [other]);
    expect(presence.remove(closing, user('b'))).toBe(true);
    expect(presence.list()).toEqual([user('a')]);
  });

  it('takes a renamed user’s new name', () => {
    const presence = new Presence(() => []);
    presence.add(socket(), user('a'));
    presence.update({ ...user('a'), name: 'Renamed' });
    expect(presence.list()).toEqual([{ ...user('a'), name: 'Renamed' }]);
  });
});
