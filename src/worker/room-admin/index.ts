/** `/api/rooms/:id/…` admin routes and `/api/invites` (issue 12), mounted in index.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { inviteLinks, roomInvites } from './invites';
import { roomMembers } from './members';
import { roomPrivacy } from './privacy';
import { roomSettings } from './settings';

export const roomAdmin = new Hono<AppEnv>()
  .route('/', roomSettings)
  .route('/', roomMembers)
  .route('/', roomPrivacy)
  .route('/', roomInvites);

export { inviteLinks };
