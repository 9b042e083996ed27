/**
 * Streams an upload into R2: its first bytes are read and judged (sniff.ts) before anything
 * is stored, then they and the rest of the body go to R2 through a FixedLengthStream of the
 * declared length, so the Worker never holds the whole file and a body that is shorter or
 * longer than it said fails instead of being stored.
 */
import { ApiError } from '../errors';
import { SNIFF_BYTES } from './sniff';

export interface Upload {
  /** The first min(length, SNIFF_BYTES) bytes. */
  head: Uint8Array;
  /** Stores head + rest under `key`; rejects when the body does not match its length. */
  store(bucket: R2Bucket, key: string, contentType: string): Promise<void>;
  /**
   * Reads the rest and drops it (a refused upload, at most the declared length, which is
   * within the limit): answered before its body is in, a client still sending meets a reset
   * connection instead of the refusal (seen under `wrangler dev` with a 10 MB file).
   */
  discard(): Promise<void>;
}

export async function readUpload(
  body: ReadableStream<Uint8Array>,
  length: number,
): Promise<Upload> {
  const reader = body.getReader();
  const want = Math.min(length, SNIFF_BYTES);
  const chunks: Uint8Array[] = [];
  let have = 0;
  while (have < want) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    have += value.byteLength;
  }
  if (have > length) {
    await reader.cancel();
    throw bodyMismatch();
  }
  const all = concat(chunks, have);
  // Whatever was read past the sniffing window goes to R2 first, before the rest.
  const head = all.subarray(0, Math.min(have, want));
  const spill = all.subarray(head.length);

  return {
    head,
    async discard() {
      try {
        for (let read = have; read <= length;) {
          const { done, value } = await reader.read();
          if (done) return;
          read += value.byteLength;
        }
      } catch {
        // The client went away: nothing left to answer.
      }
      await reader.cancel().catch(() => {});
    },
    async store(bucket, key, contentType) {
      const { readable, writable } = new FixedLengthStream(length);
      const put = bucket.put(key, readable, { httpMetadata: { contentType } });
      const writer = writable.getWriter();
      const pump = (async () => {
        await writer.write(head);
        if (spill.length) await writer.write(spill);
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          await writer.write(value);
        }
        await writer.close();
      })();
      try {
        await Promise.all([pump, put]);
      } catch {
        await writer.abort(bodyMismatch()).catch(() => {});
        await put.catch(() => {});
        await reader.cancel().catch(() => {});
        throw bodyMismatch();
      }
    },
  };
}

function bodyMismatch(): ApiError {
  return new ApiError(400, 'bad_request', 'The upload did not match its Content-Length');
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
