/**
 * A WebSocket client over a bare TCP socket, for what well-behaved clients never do: it
 * never answers a close frame (and keeps sending after one), and it can stop reading.
 * Text frames only; enough of RFC 6455 for Parlor's frames.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { FrameQueue } from '../socket-client';

export class RawSocket {
  readonly q = new FrameQueue();
  /** The code of the close frame the server sent (left unanswered). */
  closeFrame: number | null = null;
  /** The TCP connection ended (the server, or its runtime, hung up). */
  ended = false;
  private buffer = Buffer.alloc(0);

  private constructor(readonly socket: Socket) {}

  static async open(base: string, path: string, token: string): Promise<RawSocket> {
    const url = new URL(`/api${path}`, base);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const raw = new RawSocket(socket);
    socket.write(
      [
        `GET ${url.pathname}${url.search} HTTP/1.1`,
        `Host: ${url.host}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `Origin: ${base}`,
        `Authorization: Bearer ${token}`,
        '',
        '',
      ].join('\r\n'),
    );
    await new Promise<void>((resolve, reject) => {
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const status = head.subarray(0, head.indexOf('\r\n')).toString();
        if (!status.includes(' 101 ')) return reject(new Error(`upgrade refused: ${status}`));
        raw.take(head.subarray(end + 4));
        socket.on('data', (c: Buffer) => raw.take(c));
        resolve();
      };
      socket.on('data', onData);
    });
    socket.on('close', () => {
      raw.ended = true;
      raw.q.close(raw.closeFrame ?? 1006, 'tcp closed');
    });
    socket.on('error', () => {});
    await raw.q.take((f) => f.type === 'hello', 10_000, 'hello');
    return raw;
  }

  /** Sends a masked text frame, whatever state the server thinks the connection is in. */
  send(frame: object): void {
    const payload = Buffer.from(JSON.stringify(frame));
    const mask = randomBytes(4);
    const len = payload.length;
    const header =
      len < 126
        ? Buffer.from([0x81, 0x80 | len])
        : len < 65536
          ? Buffer.from([0x81, 0x80 | 126, len >> 8, len & 255])
          : (() => {
              const h = Buffer.alloc(10);
              h[0] = 0x81;
              h[1] = 0x80 | 127;
              h.writeBigUInt64BE(BigInt(len), 2);
              return h;
            })();
    const masked = Buffer.alloc(len);
    for (let i = 0; i < len; i += 1) masked[i] = payload[i]! ^ mask[i % 4]!;
    if (!this.socket.destroyed) this.socket.write(Buffer.concat([header, mask, masked]));
  }

  /** Stops reading: the kernel buffers fill and the server's sends back up. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private take(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let len = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + len) return;
      const payload = this.buffer.subarray(offset, offset + len);
      this.buffer = this.buffer.subarray(offset + len);
      if (opcode === 0x1) this.q.push(payload.toString());
      // A close frame is noted, never answered.
      if (opcode === 0x8) {
        this.closeFrame = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        this.q.close(this.closeFrame, payload.subarray(2).toString());
      }
    }
  }
}
