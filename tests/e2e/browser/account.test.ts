/**
 * Real Chromium against `wrangler dev` with the development outbox on: changing the
 * password in Settings signs the other browser out, and a reset mail shown in the outbox
 * leads to a working new password.
 */
import { describe, expect, it } from 'vitest';
import type { E2eUser } from '../client';
import { browserSuite, unique } from './suite';
import { byTestId, conversationReady, until } from './ui';

const suite = browserSuite({ DEV_OUTBOX: '1' });
const { browsers } = suite;

const PASSWORD = 'correct-Horse-battery-9';
const NEW_PASSWORD = 'violet-Lantern-harbour-42';

async function account(email?: string): Promise<E2eUser & { username: string }> {
  const username = unique('acct');
  const { status, body } = await suite.api.call('/auth/register?token=1', {
    json: { username, password: PASSWORD, ...(email && { email }) },
  });
  if (status !== 201) throw new Error(`register failed: ${status} ${JSON.stringify(body)}`);
  const user = body.user as { id: string; token: string };
  return { id: user.id, token: user.token, name: username, username };
}

async function login(username: string, password: string) {
  return suite.api.call('/auth/login', { json: { username, password } });
}

describe('account settings', () => {
  it('changes the password and signs the other browser out', async () => {
    const user = await account();
    const other = await login(user.username, PASSWORD);
    const otherToken = await suite.api.call('/auth/login?token=1', {
      json: { username: user.username, password: PASSWORD },
    });
    expect(other.status).toBe(200);
    const second = { ...user, token: (otherToken.body.user as { token: string }).token };
    const [a, b] = await Promise.all([
      browsers.open({ as: user, path: '/c/global' }),
      browsers.open({ as: second, path: '/c/global' }),
    ]);
    await Promise.all([conversationReady(a, 'global'), conversationReady(b, 'global')]);

    await byTestId(a, 'settings-button').click();
    // The session list shows both, this one marked.
    await until(() => byTestId(a, 'session').count()).toBeGreaterThanOrEqual(3);
    expect(await a.locator('[data-testid="session"][data-current]').count()).toBe(1);

    // A wrong current password is refused next to its field.
    await byTestId(a, 'current-password').fill('not-the-password');
    await byTestId(a, 'new-password').fill(NEW_PASSWORD);
    await byTestId(a, 'password-submit').click();
    await until(() => byTestId(a, 'field-error-current-password').textContent()).toBe(
      'That is not your current password',
    );
    expect(await byTestId(a, 'current-password').getAttribute('aria-invalid')).toBe('true');

    await byTestId(a, 'current-password').fill(PASSWORD);
    await byTestId(a, 'password-submit').click();
    await until(() => byTestId(a, 'password-done').textContent()).toMatch(
      /^Password changed\. \d+ other sessions? (was|were) signed out\.$/,
    );
    // The other browser's sockets closed (1008): it finds its session ended and shows sign-in.
    await byTestId(b, 'auth-submit').waitFor();
    // This browser is still signed in.
    expect(await byTestId(a, 'settings').isVisible()).toBe(true);
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);
    expect((await login(user.username, PASSWORD)).status).toBe(401);
  });
});

describe('password reset by mail', () => {
  it('shows the reset mail in the dev outbox, and its link sets a new password', async () => {
    const email = `${unique('reset')}@example.test`;
    const user = await account(email);
    const page = await browsers.open();

    // Confirm the address with the link from the outbox.
    await page.goto('/api/_dev/outbox');
    const verifyLink = page
      .locator('[data-testid="outbox-mail"]', { hasText: email })
      .locator('a[href*="/account/verify#token="]')
      .first();
    await verifyLink.click();
    await until(() => byTestId(page, 'verify-done').isVisible()).toBe(true);
    // The token is taken out of the address bar once read.
    expect(new URL(page.url()).hash).toBe('');

    // Forgot password, from the sign-in screen.
    await page.goto('/');
    await byTestId(page, 'forgot-link').click();
    await byTestId(page, 'forgot-email').fill(email);
    await byTestId(page, 'forgot-submit').click();
    await until(() => byTestId(page, 'forgot-done').textContent()).toBe(
      'If an account has confirmed this address, a link to choose a new password is on its way.',
    );

    // The mail leaves after the answer: reload the outbox until it is there.
    const resetLink = page
      .locator('[data-testid="outbox-mail"]', { hasText: email })
      .locator('a[href*="/account/reset#token="]');
    await until(async () => {
      await page.goto('/api/_dev/outbox');
      return resetLink.count();
    }).toBe(1);
    expect(await page.locator('h2', { hasText: 'Reset your Parlor password' }).count()).toBe(1);
    await resetLink.click();
    await byTestId(page, 'reset-password').fill(NEW_PASSWORD);
    await byTestId(page, 'reset-submit').click();
    await byTestId(page, 'reset-done').waitFor();
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);

    // The same link again: used.
    await page.goBack();
    await until(() => page.url()).toContain('/api/_dev/outbox');
    await resetLink.click();
    await byTestId(page, 'reset-password').fill('another-Strong-pass-77');
    await byTestId(page, 'reset-submit').click();
    await until(() => byTestId(page, 'field-error-reset-password').textContent()).toBe(
      'This link has expired or was already used; ask for a new one',
    );
  });
});
