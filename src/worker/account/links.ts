/** The mails account care sends, with links back to the app. */
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import { originAllowed, originList } from '../middleware';
import type { Mail } from '../mail/mailer';

/**
 * Where links point: the app origin the request came from when it is one of the configured
 * ones, else the first configured one. Never the request's Host, which a rebinding page or
 * a forged header controls (a reset link to the attacker's site would hand them the token).
 */
export function appOrigin(c: Context<AppEnv>): string {
  const origin = c.req.header('origin');
  if (origin && originAllowed(origin, c.env) && originList(c.env.APP_ORIGINS).includes(origin)) {
    return origin;
  }
  return originList(c.env.APP_ORIGINS)[0] ?? '';
}

// The token travels in the fragment: browsers never send it to a server, so it stays out of
// access logs and Referer headers.
export const VERIFY_PATH = '/account/verify';
export const RESET_PATH = '/account/reset';

export function verifyMail(to: string, origin: string, token: string): Mail {
  return {
    to,
    subject: 'Confirm your email address for Parlor',
    text: [
      'Someone (we hope you) added this address to a Parlor account.',
      'Open this link within 24 hours to confirm it:',
      '',
      `${origin}${VERIFY_PATH}#token=${token}`,
      '',
      'If it was not you, ignore this mail: the address stays unconfirmed and unused.',
    ].join('\n'),
  };
}

export function resetMail(to: string, origin: string, token: string, username: string): Mail {
  return {
    to,
    subject: 'Reset your Parlor password',
    text: [
      `A new password was asked for the Parlor account "${username}".`,
      'Open this link within an hour to choose one; it works once:',
      '',
      `${origin}${RESET_PATH}#token=${token}`,
      '',
      'Choosing a new password signs the account out everywhere.',
      'If you did not ask, ignore this mail: nothing changes.',
    ].join('\n'),
  };
}
