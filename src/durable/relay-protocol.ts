/** What a room and its relays say to each other (relays.ts, relay.ts). */
import type { RoomInfo } from './room-info';

/** Between a room's id and a relay's number in the relay object's name. */
export const RELAY_NAME_SEPARATOR = '#';

/** The header with which a room forwards an upgrade to a relay. */
export const RELAY_HEADER = 'x-parlor-relay';

/** Who the relay is and which socket the forwarded upgrade becomes. */
export interface RelayTicket {
  room: RoomInfo;
  k: number;
  /** The id the room addresses this socket by in the relay's stream. */
  sid: string;
}

/** One entry of a room's ordered stream to a relay. */
export interface RelayEntry {
  /** One serialized server frame. */
  data: string;
  /** For one socket only (its hello and replay, acks, errors). */
  to?: string;
  /** A broadcast not for this user's own sockets (typing, their own online). */
  except?: string;
  /** A broadcast for these users' sockets only (a group DM's read receipt to its viewers). */
  only?: string[];
  /** A stored event's seq. */
  seq?: number;
  /** On a new socket's hello: the room's last seq, where the stream stands now. */
  base?: number;
}

/** Who is online on a relay: changes since the last report, or (full) the whole list. */
export interface RelayPresence {
  full: boolean;
  added: import('../shared/protocol').UserRef[];
  removed: string[];
  /** Sockets the relay holds or expects. */
  sockets: number;
}
