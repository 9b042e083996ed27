/** The tab's one lobby socket: global presence and activity in every chat. */
import { lobbyFrame, type LobbyFrame } from '../../shared/protocol';
import { createSocket, socketUrl } from './socket';

export function connectLobby(onFrame: (frame: LobbyFrame) => void, onFailing?: () => void) {
  return createSocket({
    url: () => socketUrl('/api/lobby/ws'),
    schema: lobbyFrame,
    onFrame,
    onFailing,
  });
}

export type LobbySocket = ReturnType<typeof connectLobby>;
