/** The tab's one lobby socket: global presence and activity in every chat. */
import { lobbyFrame, type LobbyFrame } from '../../shared/protocol';
import { createSocket, socketUrl } from './socket';

export interface LobbyOptions {
  onFrame: (frame: LobbyFrame) => void;
  /** Opened again after a drop: activity sent meanwhile was missed. */
  onReconnect: () => void;
  onFailing: () => void;
}

export function connectLobby({ onFrame, onReconnect, onFailing }: LobbyOptions) {
  let opened = false;
  return createSocket({
    url: () => socketUrl('/api/lobby/ws'),
    schema: lobbyFrame,
    onFrame,
    onOpen: () => {
      if (opened) onReconnect();
      opened = true;
    },
    onFailing,
  });
}

export type LobbySocket = ReturnType<typeof connectLobby>;
