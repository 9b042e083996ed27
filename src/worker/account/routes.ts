/**
 * Account care (issue 12), mounted beside `/api/me` and `/api/auth`: password, sessions,
 * deletion and email for the signed-in user; the links mailed to them, which need no session.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { deleteAccount } from './delete';
import { email, verifyEmail } from './email';
import { changePassword } from './password';
import { reset, resetRequest } from './reset';
import { sessions } from './sessions';

/** `/api/me/*` */
export const account = new Hono<AppEnv>()
  .route('/password', changePassword)
  .route('/sessions', sessions)
  .route('/delete', deleteAccount)
  .route('/', email);

/** `/api/auth/*` */
export const recovery = new Hono<AppEnv>()
  .route('/verify-email', verifyEmail)
  .route('/reset-request', resetRequest)
  .route('/reset', reset);
