/** The socket of one open chat: resumes after the last applied seq and unwraps batches. */
import { serverFrame, type ClientFrame, type ServerFrame } from '../../shared/protocol';
import { createSocket, socketUrl } from './socket';

export interface RoomSocketOptions {
  roomId: string;
  /** The last event seq applied, read at every (re)connect. */
  after: () => number;
  /** Session token for clients without the cookie, sent as a subprotocol. */
  token?: string | null;
  onFrame: (frame: ServerFrame) => void;
  onFailing?: () => void;
}

export function connectRoom(options: RoomSocketOptions) {
  const socket = createSocket({
    url: () =>
      socketUrl(`/api/rooms/${encodeURIComponent(options.roomId)}/ws?after=${options.after()}`),
    protocols: () => (options.token ? ['parlor.v1', `token.${options.token}`] : undefined),
    schema: serverFrame,
    onFrame: (frame) => {
      if (frame.type === 'batch') frame.frames.forEach(options.onFrame);
      else options.onFrame(frame);
    },
    onFailing: options.onFailing,
  });
  // Everything the socket has, with `send` typed to what a room accepts.
  return { ...socket, send: (frame: ClientFrame) => socket.send(frame) };
}

export type RoomSocket = ReturnType<typeof connectRoom>;
