/**
 * Uploads refused after their body has started to arrive (over the day's allowance, a type
 * that is not allowed), against a real `wrangler dev`: the client gets the refusal, not a
 * reset connection, however large the file it was still sending.
 */
import { describe, expect, it } from 'vitest';
import { serverSuite } from './client';

const MB = 1_000_000;
const suite = serverSuite({ FILE_MAX_BYTES: String(8 * MB), FILE_DAILY_BYTES: String(10 * MB) });

async function upload(roomId: string, token: string, bytes: Uint8Array<ArrayBuffer>, name: string) {
  const res = await fetch(
    `${suite.server.url}/api/rooms/${roomId}/files?name=${encodeURIComponent(name)}`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        origin: suite.server.url,
        'content-type': 'application/octet-stream',
      },
      body: new Blob([bytes]),
    },
  );
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

describe('a large upload refused after its body started', () => {
  it('is answered with the refusal (429, 413, 415), not a reset connection', async () => {
    const ada = await suite.api.guest();
    const { body } = await suite.api.call('/rooms', {
      json: { name: `up ${crypto.randomUUID().slice(0, 8)}` },
      token: ada.token,
    });
    const roomId = (body.room as { id: string }).id;
    const text = new Uint8Array(7 * MB).fill(0x61); // "aaa…": plain text
    expect((await upload(roomId, ada.token, text, 'first.txt')).status).toBe(201);
    const over = await upload(roomId, ada.token, text, 'second.txt');
    expect({ status: over.status, code: over.body.error?.code }).toEqual({
      status: 429,
      code: 'quota_exceeded',
    });
    const big = await upload(roomId, ada.token, new Uint8Array(9 * MB).fill(0x61), 'big.txt');
    expect({ status: big.status, code: big.body.error?.code }).toEqual({
      status: 413,
      code: 'payload_too_large',
    });
    const binary = new Uint8Array(7 * MB).fill(0x00);
    const refused = await upload(roomId, ada.token, binary, 'blob.txt');
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    });
  });
});
