/**
 * Who this user blocks, for the whole app: read once signed in, changed from a profile card
 * or Settings. Their messages fold away (MessageList), never ring or get announced, and their
 * pair DM offers an Unblock in place of the composer (docs/protocol.md, "Blocking"). The
 * calls that change it are in blocked-api.ts, loaded when first needed.
 */
import { signal } from '@preact/signals';

export const blockedIds = signal<ReadonlySet<string>>(new Set());
