/** Limits the server enforces and the client respects. */
export const LIMITS = {
  /** Longest message text, in characters: Unicode code points, after trimming. */
  messageChars: 4000,
  /**
   * Combining marks in a row a message may stack on one letter: more than scripts use
   * (Vietnamese 2, Hebrew with cantillation 3–4), fewer than paints over the lines above.
   */
  marksInARow: 8,
  /** Largest WebSocket frame a room accepts; larger ones close the socket with 1009. */
  frameBytes: 64 * 1024,
  /** Largest HTTP request body the API reads. */
  bodyBytes: 16 * 1024,
  historyDefault: 20,
  historyMax: 100,
  /** Events a room keeps for reconnect replay; a larger gap is answered with `resync`. */
  replayEvents: 1000,
  /** Typing notices per user are forwarded at most this often. */
  typingIntervalMs: 2000,
  roomName: { min: 2, max: 40 },
  topicChars: 200,
  /**
   * A client sends a `received` receipt after at most this many characters of frames, so
   * the server knows how far behind it is (workerd does not report a socket's backlog).
   */
  receiptChars: 64 * 1024,
  /**
   * Characters a socket may be sent without a receipt; past it the server stops sending and
   * closes it with 4000 (reconnect and resume). A whole replay fits: the check is made
   * before each frame, so the first frame after a receipt always goes.
   */
  unsentChars: 4 * 1024 * 1024,
  /**
   * People a room names in `hello` and `presence` frames. A room with more online than this
   * stops announcing each arrival and departure and sends a `presence` snapshot (the count
   * and this many people) at most every `presenceSnapshotMs` instead; the whole list is paged
   * over HTTP (`GET /api/rooms/:id/online`).
   */
  presenceListed: 100,
  presenceSnapshotMs: 5000,
  /** Different emoji on one message; a new one past this is refused (existing ones still toggle). */
  reactionsPerMessage: 20,
  /** People a message's reaction names in history (its count is always exact). */
  reactionUsersListed: 10,
  /** Messages pinned in one chat at a time; one more is refused until another is unpinned. */
  pinsPerChat: 50,
} as const;

/**
 * A text's length as every limit here counts it, in code points (an emoji outside the BMP
 * is one, not two UTF-16 units), without building an array for a long text.
 */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
