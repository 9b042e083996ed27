/**
 * Files in chats: uploads (membership, Origin and type checks, size and daily limits),
 * attaching them to messages (only your own uploads to that chat, once), downloads (who may
 * read the chat, headers that keep a file from running as Parlor), and their life with the
 * message: in the room's order, replayed, in history, deleted with it.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  api,
  clientId,
  createRoom,
  drain,
  embeddedRoom,
  expectError,
  from,
  guest,
  history,
  join,
  openRoom,
  ORIGIN,
  SITE,
  STRANGER,
  type TestSocket,
  visitorOf,
} from '../helpers';
import { byType, eventually } from '../socket-client';
import { fileKey } from '../../src/durable/attachments';

/** A 1×1 PNG. */
const PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  ),
  (c) => c.charCodeAt(0),
);
const text = (s: string) => new TextEncoder().encode(s);
const HTML = text('<!doctype html><script>alert(document.cookie)</script>');
const SVG = text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

interface Uploaded {
  id: string;
  name: string;
  type: string;
  size: number;
  width: number | null;
  height: number | null;
}

function uploadRequest(
  roomId: string,
  token: string,
  bytes: Uint8Array,
  name: string,
  headers: Record<string, string> = {},
) {
  return api(`/rooms/${encodeURIComponent(roomId)}/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    token,
    body: bytes,
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.byteLength),
      origin: ORIGIN,
      ...headers,
    },
  });
}

async function upload(roomId: string, token: string, bytes: Uint8Array = PNG, name = 'dot.png') {
  const res = await uploadRequest(roomId, token, bytes, name);
  expect(res.status).toBe(201);
  return ((await res.json()) as { file: Uploaded }).file;
}

const fetchFile = (id: string, token: string) => api(`/files/${id}`, { token });

async function sendWithFiles(s: TestSocket, files: string[], body = 'look') {
  const id = clientId();
  s.send({ type: 'send', clientId: id, text: body, files });
  return s.q.take((f) => f.clientId === id || f.ref === id, 5000, `answer to ${id}`);
}

async function roomOfTwo() {
  const [a, b] = [await guest(), await guest()];
  const room = await createRoom(a.token);
  await join(room.id, b.token);
  return { a, b, room, sa: await openRoom(room.id, a.token) };
}

async function dmOf(a: { token: string }, b: { id: string }) {
  const res = await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { chat: { id: string } }).chat.id;
}

describe('uploading', () => {
  it('stores a member’s image with the type and size read from its bytes', async () => {
    const { a, room } = await roomOfTwo();
    const file = await upload(room.id, a.token, PNG, 'dot.png');
    expect(file).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'dot.png',
      type: 'image/png',
      size: PNG.byteLength,
      width: 1,
      height: 1,
    });
    const row = await env.DB.prepare('SELECT * FROM files WHERE id = ?').bind(file.id).first();
    expect(row).toMatchObject({ room_id: room.id, uploader_id: a.id, message_client_id: null });
    expect(await env.FILES.head(`files/${room.id}/${file.id}`)).not.toBeNull();
  });

  it('refuses a non-member of the room (403) and a third person in a DM', async () => {
    const { room } = await roomOfTwo();
    const outsider = await guest();
    await expectError(
      await uploadRequest(room.id, outsider.token, PNG, 'x.png'),
      403,
      'not_a_member',
    );
    const [a, b] = [await guest(), await guest()];
    const dm = await dmOf(a, b);
    await expectError(await uploadRequest(dm, outsider.token, PNG, 'x.png'), 403, 'forbidden');
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM files WHERE uploader_id = ?')
        .bind(outsider.id)
        .first('n'),
    ).toBe(0);
  });

  it('refuses what is not on the type allowlist by its bytes, whatever its name says', async () => {
    const { a, room } = await roomOfTwo();
    const refused: [Uint8Array, string][] = [
      [HTML, 'cat.png'], // HTML renamed .png
      [HTML, 'page.html'],
      [SVG, 'logo.svg'],
      [SVG, 'logo.png'],
      [text('  \n<?xml version="1.0"?><x/>'), 'notes.txt'], // markup is never text
      [PNG, 'dot.txt'], // a PNG that calls itself text
      [text('just text'), 'photo.jpg'],
      [Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]), 'setup.exe'], // binary, unknown
      [PNG, 'dot'], // no extension
    ];
    for (const [bytes, name] of refused) {
      const res = await uploadRequest(room.id, a.token, bytes, name);
      const error = await expectError(res, 415, 'unsupported_media_type');
      expect(error.message.length).toBeGreaterThan(0);
    }
    const stored = await env.FILES.list({ prefix: `files/${room.id}/` });
    expect(stored.objects).toEqual([]);
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM files WHERE room_id = ?')
      .bind(room.id)
      .first('n');
    expect(rows).toBe(0);
  });

  it('accepts plain text, PDF and zip by their bytes', async () => {
    const { a, room } = await roomOfTwo();
    expect((await upload(room.id, a.token, text('héllo\n'), 'notes.txt')).type).toBe('text/plain');
    expect((await upload(room.id, a.token, text('%PDF-1.7\n%…'), 'a.pdf')).type).toBe(
      'application/pdf',
    );
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
    expect((await upload(room.id, a.token, zip, 'report.docx')).type).toBe('application/zip');
  });

  it('keeps the name safe: no control or bidi characters, no folders', async () => {
    const { a, room } = await roomOfTwo();
    const file = await upload(room.id, a.token, text('x'), '../../etc/pass\u202Ewd\u0000.txt');
    expect(file.name).toBe('_.._etc_passwd.txt');
  });

  it('refuses a file over FILE_MAX_BYTES (413) before reading it', async () => {
    const { a, room } = await roomOfTwo();
    const big = new Uint8Array(200_001);
    big.set(PNG);
    const err = await expectError(
      await uploadRequest(room.id, a.token, big, 'big.png'),
      413,
      'payload_too_large',
    );
    expect(err.message).toBe('Files are limited to 200 KB');
  });

  it('refuses an empty file as a bad request, not as a type', async () => {
    const { a, room } = await roomOfTwo();
    const err = await expectError(
      await uploadRequest(room.id, a.token, new Uint8Array(0), 'empty.txt'),
      400,
      'bad_request',
    );
    expect(err.message).toBe('The file is empty');
  });

  it('refuses uploads past FILE_DAILY_BYTES a day with quota_exceeded and Retry-After', async () => {
    const { a, room } = await roomOfTwo();
    const chunk = new Uint8Array(190_000);
    chunk.set(PNG);
    await upload(room.id, a.token, chunk, 'one.png');
    await upload(room.id, a.token, chunk, 'two.png');
    const res = await uploadRequest(room.id, a.token, chunk, 'three.png');
    const retryAfter = Number(res.headers.get('retry-after'));
    const err = await expectError(res, 429, 'quota_exceeded');
    expect(err.message).toBe('Uploads are limited to 500 KB a day; this one would pass it');
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    // A smaller one still fits today's rest; someone else's allowance is their own.
    await upload(room.id, a.token, PNG, 'small.png');
    const { b } = await roomOfTwo();
    await join(room.id, b.token);
    await upload(room.id, b.token, chunk, 'b.png');
  });

  it('is not given its bytes back by deleting the message', async () => {
    const { a, room, sa } = await roomOfTwo();
    const chunk = new Uint8Array(190_000);
    chunk.set(PNG);
    for (const name of ['one.png', 'two.png']) {
      const file = await upload(room.id, a.token, chunk, name);
      const ack = await sendWithFiles(sa, [file.id]);
      sa.send({ type: 'delete', target: ack.seq });
      await sa.q.take(byType('delete'));
    }
    await expectError(await uploadRequest(room.id, a.token, chunk, 'x.png'), 429, 'quota_exceeded');
  });

  it('deletes an upload nobody sent after a day, when its uploader uploads again', async () => {
    const { a, room, sa } = await roomOfTwo();
    const unsent = await upload(room.id, a.token, PNG, 'old.png');
    const sentOld = await upload(room.id, a.token, PNG, 'sent.png');
    await sendWithFiles(sa, [sentOld.id]);
    const fresh = await upload(room.id, a.token, PNG, 'fresh.png');
    const dayAgo = Date.now() - 25 * 3600 * 1000;
    await env.DB.prepare('UPDATE files SET created_at = ? WHERE id IN (?, ?)')
      .bind(dayAgo, unsent.id, sentOld.id)
      .run();
    const trigger = await upload(room.id, a.token, PNG, 'trigger.png');
    await eventually(async () =>
      (await env.FILES.head(`files/${room.id}/${unsent.id}`)) === null ? true : undefined,
    );
    const left = await env.DB.prepare('SELECT id FROM files WHERE uploader_id = ?')
      .bind(a.id)
      .all<{ id: string }>();
    expect(left.results.map((r) => r.id).sort()).toEqual([fresh.id, sentOld.id, trigger.id].sort());
    // A sent file is never pruned, however old.
    expect(await env.FILES.head(`files/${room.id}/${sentOld.id}`)).not.toBeNull();
  });

  it('refuses a body that is not application/octet-stream, and a foreign Origin', async () => {
    const { a, room } = await roomOfTwo();
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/json']) {
      const res = await uploadRequest(room.id, a.token, PNG, 'dot.png', { 'content-type': type });
      await expectError(res, 415, 'unsupported_media_type');
    }
    const foreign = await uploadRequest(room.id, a.token, PNG, 'dot.png', {
      origin: 'https://evil.test',
    });
    await expectError(foreign, 403, 'origin_not_allowed');
    const unsigned = await api(`/rooms/${room.id}/files?name=dot.png`, {
      method: 'POST',
      body: PNG,
      headers: { 'content-type': 'application/octet-stream', origin: ORIGIN },
    });
    await expectError(unsigned, 401, 'unauthorized');
  });
});

describe('downloading', () => {
  it('serves a safe image inline with nosniff and a sandboxing CSP', async () => {
    const { a, b, room, sa } = await roomOfTwo();
    const file = await upload(room.id, a.token);
    await sendWithFiles(sa, [file.id]);
    const res = await fetchFile(file.id, b.token);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-disposition': `inline; filename="dot.png"; filename*=UTF-8''dot.png`,
      'cache-control': 'no-store',
    });
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('sandbox');
  });

  it('serves every other type as an attachment, never inline', async () => {
    const { a, b, room, sa } = await roomOfTwo();
    const notes = await upload(room.id, a.token, text('a <b>bold</b> claim'), 'ünïcode "q".txt');
    const pdf = await upload(room.id, a.token, text('%PDF-1.4'), 'doc.pdf');
    await sendWithFiles(sa, [notes.id, pdf.id]);
    for (const [file, type] of [
      [notes, 'text/plain'],
      [pdf, 'application/pdf'],
    ] as const) {
      const res = await fetchFile(file.id, b.token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain('sandbox');
    }
    const disposition = (await fetchFile(notes.id, b.token)).headers.get('content-disposition');
    expect(disposition).toBe(
      `attachment; filename="_n_code _q_.txt"; filename*=UTF-8''${encodeURIComponent('ünïcode _q_.txt')}`,
    );
  });

  it('shows a file nobody has been sent only to its uploader', async () => {
    const { a, b, room } = await roomOfTwo();
    const file = await upload(room.id, a.token);
    expect((await fetchFile(file.id, a.token)).status).toBe(200);
    await expectError(await fetchFile(file.id, b.token), 404, 'not_found');
  });

  it('keeps DM files private to the pair (403 for anyone else)', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const dm = await dmOf(a, b);
    const file = await upload(dm, a.token);
    const s = await openRoom(dm, a.token);
    expect((await sendWithFiles(s, [file.id])).type).toBe('ack');
    expect((await fetchFile(file.id, b.token)).status).toBe(200);
    await expectError(await fetchFile(file.id, c.token), 403, 'forbidden');
    await expectError(await api(`/files/${file.id}`), 401, 'unauthorized');
  });

  it('answers 404 for an unknown id', async () => {
    const a = await guest();
    await expectError(await fetchFile(crypto.randomUUID(), a.token), 404, 'not_found');
    await expectError(await fetchFile('not-an-id', a.token), 404, 'not_found');
  });
});

describe('attaching files to messages', () => {
  it('carries the files’ metadata in the message event, to everyone, in order', async () => {
    const { a, b, room, sa } = await roomOfTwo();
    const sb = await openRoom(room.id, b.token);
    const one = await upload(room.id, a.token, PNG, 'one.png');
    const two = await upload(room.id, a.token, text('hi'), 'two.txt');
    const ack = await sendWithFiles(sa, [two.id, one.id], '');
    expect(ack.type).toBe('ack');
    const event = await sb.q.take(byType('message'));
    expect(event.message).toMatchObject({ seq: ack.seq, text: '', files: [two, one] });
    const row = await env.DB.prepare('SELECT message_client_id FROM files WHERE id = ?')
      .bind(one.id)
      .first('message_client_id');
    expect(row).toEqual(expect.any(String));
  });

  it('refuses another user’s file, one from another room, and one already sent', async () => {
    const { a, b, room, sa } = await roomOfTwo();
    const bs = await upload(room.id, b.token);
    const other = await createRoom(a.token);
    const elsewhere = await upload(other.id, a.token);
    const mine = await upload(room.id, a.token);
    for (const files of [[bs.id], [elsewhere.id], [mine.id, bs.id]]) {
      const answer = await sendWithFiles(sa, files);
      expect(answer).toMatchObject({ type: 'error', code: 'not_found' });
    }
    // The refused send claimed nothing: `mine` can still be sent, once.
    expect((await sendWithFiles(sa, [mine.id])).type).toBe('ack');
    expect(await sendWithFiles(sa, [mine.id])).toMatchObject({ type: 'error', code: 'not_found' });
    expect(sa.q.ofType('message').map((f) => f.message)).toMatchObject([{ files: [mine] }]);
    const sb = await openRoom(room.id, b.token);
    expect(await sendWithFiles(sb, [bs.id])).toMatchObject({ type: 'ack' });
  });

  it('answers a retried send with its original ack, the files still attached once', async () => {
    const { a, room, sa } = await roomOfTwo();
    const file = await upload(room.id, a.token);
    const id = clientId();
    sa.send({ type: 'send', clientId: id, text: 'pic', files: [file.id] });
    const first = await sa.q.take((f) => f.type === 'ack' && f.clientId === id);
    sa.send({ type: 'send', clientId: id, text: 'pic', files: [file.id] });
    const again = await sa.q.take((f) => f.type === 'ack' && f.clientId === id);
    expect(again).toEqual(first);
    expect(sa.q.ofType('message')).toHaveLength(1);
  });

  it('validates `files` in the send frame', async () => {
    const { sa } = await roomOfTwo();
    const bad: unknown[] = [
      'abc',
      ['not-a-uuid'],
      [crypto.randomUUID(), crypto.randomUUID()].map(() => 'x'),
      Array.from({ length: 11 }, () => crypto.randomUUID()),
    ];
    const dup = crypto.randomUUID();
    bad.push([dup, dup]);
    for (const files of bad) {
      const id = clientId();
      sa.send({ type: 'send', clientId: id, text: 'x', files });
      expect(await sa.q.take((f) => f.ref === id)).toMatchObject({ code: 'validation_failed' });
    }
    // No text and no files is an empty message.
    const id = clientId();
    sa.send({ type: 'send', clientId: id, text: '  ', files: [] });
    expect(await sa.q.take((f) => f.ref === id)).toMatchObject({
      code: 'validation_failed',
      message: 'text: Message is empty',
    });
  });

  it('returns files with history and replays them on resume', async () => {
    const { a, b, room, sa } = await roomOfTwo();
    const file = await upload(room.id, a.token);
    const ack = await sendWithFiles(sa, [file.id], 'with a picture');
    const plain = await sendWithFiles(sa, [], 'no picture');
    const resumed = await openRoom(room.id, b.token, 0);
    await resumed.q.take(byType('caught_up'));
    const replayed = resumed.q.ofType('message').map((f) => f.message);
    expect(replayed).toMatchObject([{ seq: ack.seq, files: [file] }, { seq: plain.seq }]);
    expect(replayed[1]).not.toHaveProperty('files');
    await drain(room.id);
    const page = await history(room.id, b.token);
    expect(page.messages).toMatchObject([{ seq: ack.seq, files: [file] }, { seq: plain.seq }]);
    expect(page.messages[1]).not.toHaveProperty('files');
  });
});

describe('deleting a message with files', () => {
  it('deletes the R2 object and the row first; the file is no longer served', async () => {
    const { a, b, room, sa } = await roomOfTwo();
    const file = await upload(room.id, a.token);
    const keep = await upload(room.id, a.token, PNG, 'keep.png');
    const ack = await sendWithFiles(sa, [file.id]);
    await sendWithFiles(sa, [keep.id]);
    expect((await fetchFile(file.id, b.token)).status).toBe(200);
    sa.send({ type: 'delete', target: ack.seq });
    await sa.q.take(byType('delete'));
    await expectError(await fetchFile(file.id, b.token), 404, 'not_found');
    await expectError(await fetchFile(file.id, a.token), 404, 'not_found');
    expect(await env.FILES.head(`files/${room.id}/${file.id}`)).toBeNull();
    expect(
      await env.DB.prepare('SELECT 1 FROM files WHERE id = ?').bind(file.id).first(),
    ).toBeNull();
    // The other message's file is untouched; replay and history no longer name the deleted one.
    expect((await fetchFile(keep.id, b.token)).status).toBe(200);
    const resumed = await openRoom(room.id, b.token, 0);
    await resumed.q.take(byType('caught_up'));
    expect(JSON.stringify(resumed.q.frames)).not.toContain(file.id);
    await drain(room.id);
    expect(JSON.stringify(await history(room.id, b.token))).not.toContain(file.id);
  });

  it('deletes once when two tabs delete it together: one event, the other told not found', async () => {
    const { a, room, sa } = await roomOfTwo();
    const other = await openRoom(room.id, a.token);
    const file = await upload(room.id, a.token);
    const ack = await sendWithFiles(sa, [file.id]);
    sa.send({ type: 'delete', target: ack.seq });
    other.send({ type: 'delete', target: ack.seq });
    // The loser's answer is an error frame, on whichever socket lost.
    const refused = (f: { type: string; ref?: unknown }) => f.type === 'error' && f.ref === ack.seq;
    const error = await Promise.any([sa.q.take(refused), other.q.take(refused)]);
    expect(error).toMatchObject({ code: 'message_not_found' });
    await Promise.all([sa, other].map((s) => s.q.take(byType('delete'))));
    expect([...sa.q.ofType('delete'), ...other.q.ofType('delete')]).toEqual([]);
    const resumed = await openRoom(room.id, a.token, 0);
    await resumed.q.take(byType('caught_up'));
    expect(resumed.q.ofType('delete')).toHaveLength(1);
  });

  it('deletes the files of a message that has left the log (found through D1)', async () => {
    const { a, b, room, sa } = await roomOfTwo();
    const file = await upload(room.id, a.token);
    const ack = await sendWithFiles(sa, [file.id]);
    await drain(room.id);
    // Drop the message from the room's log, as pruning does after 1,000 newer events.
    const { runInDurableObject } = await import('cloudflare:test');
    await runInDurableObject(env.ROOM.get(env.ROOM.idFromName(room.id)), (_, state) => {
      state.storage.sql.exec('DELETE FROM events WHERE seq = ?', ack.seq);
    });
    sa.send({ type: 'delete', target: ack.seq });
    await sa.q.take(byType('delete'));
    await expectError(await fetchFile(file.id, b.token), 404, 'not_found');
    expect(await env.FILES.head(`files/${room.id}/${file.id}`)).toBeNull();
  });
});

describe('a deleted account', () => {
  it('takes its files along: sent ones with their messages, unsent ones and its avatar', async () => {
    const { a, b, room, sa } = await roomOfTwo();
    const sent = await upload(room.id, a.token);
    expect(await sendWithFiles(sa, [sent.id])).toMatchObject({ type: 'ack' });
    const unsent = await upload(room.id, a.token);
    await env.FILES.put(`avatars/${a.id}/abc`, PNG);
    sa.close();
    const res = await api('/me/delete', {
      method: 'POST',
      json: { confirm: true },
      token: a.token,
    });
    expect(res.status).toBe(200);
    for (const file of [sent, unsent]) {
      await expectError(await fetchFile(file.id, b.token), 404, 'not_found');
      expect(await env.FILES.head(fileKey(room.id, file.id))).toBeNull();
    }
    expect((await env.FILES.list({ prefix: `avatars/${a.id}/` })).objects).toEqual([]);
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM files WHERE uploader_id = ?')
      .bind(a.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });
});

describe('a private room’s files', () => {
  it('are served to its members only, as its history is', async () => {
    const [owner, stranger] = [await guest(), await guest()];
    const res = await api('/rooms', {
      method: 'POST',
      json: { name: `secret-${crypto.randomUUID().slice(0, 8)}`, private: true },
      token: owner.token,
    });
    expect(res.status).toBe(201);
    const { room } = (await res.json()) as { room: { id: string } };
    const s = await openRoom(room.id, owner.token);
    const file = await upload(room.id, owner.token);
    expect(await sendWithFiles(s, [file.id])).toMatchObject({ type: 'ack' });
    expect((await fetchFile(file.id, owner.token)).status).toBe(200);
    await expectError(await fetchFile(file.id, stranger.token), 404, 'not_found');
    s.close();
  });
});

describe('a widget session’s files', () => {
  it('are its own room’s only: an image sent there is served to its token, another room’s is not', async () => {
    const { owner, room } = await embeddedRoom();
    const other = await embeddedRoom();
    const visitor = await visitorOf(room.id);
    const sent: string[] = [];
    for (const [roomId, token] of [
      [room.id, owner.token],
      [other.room.id, other.owner.token],
    ] as const) {
      const s = await openRoom(roomId, token);
      const file = await upload(roomId, token);
      expect(await sendWithFiles(s, [file.id])).toMatchObject({ type: 'ack' });
      s.close();
      sent.push(file.id);
    }
    const [own, foreign] = sent as [string, string];
    // The frame's fetch (same origin: no Origin header) and one naming its site alike.
    for (const res of [
      await fetchFile(own, visitor.token),
      await from(SITE, `/files/${own}`, visitor.token),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    }
    // Another room's file, which any signed-in account could read (a public room): not to it.
    expect((await fetchFile(foreign, owner.token)).status).toBe(200);
    await expectError(await fetchFile(foreign, visitor.token), 404, 'not_found');
    // From any other site, not even its own room's.
    await expectError(
      await from(STRANGER, `/files/${own}`, visitor.token),
      403,
      'origin_not_allowed',
    );
  });
});
