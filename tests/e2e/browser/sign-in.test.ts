/**
 * Real Chromium against `wrangler dev`: the sign-in screen's messages and a guest's
 * sign-out, as a person meets them.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, unique } from './suite';
import { attr, byTestId, conversationReady, until } from './ui';

const suite = browserSuite();
const { browsers } = suite;

describe('the sign-in screen', () => {
  it('takes a refused password’s error away when the password changes', async () => {
    const page = await browsers.open();
    await byTestId(page, 'auth-tab-register').click();
    await byTestId(page, 'auth-username').fill(unique('reg'));
    await byTestId(page, 'auth-password').fill('Password1!');
    const meter = byTestId(page, 'password-strength');
    await until(() => meter.allTextContents()).toEqual([
      'Weak: This is too close to a commonly used password',
    ]);
    await byTestId(page, 'auth-submit').click();
    const error = byTestId(page, 'field-error-auth-password');
    expect(await error.textContent()).toBe('This is too close to a commonly used password');

    await byTestId(page, 'auth-password').fill('maple quietly orbit lantern');
    await until(() => meter.allTextContents()).toEqual(['Strong']);
    expect(await error.count()).toBe(0);
    expect(await byTestId(page, 'auth-password').getAttribute('aria-invalid')).toBeNull();
  });

  it('says once when to try again after repeated failures', async () => {
    const page = await browsers.open();
    const username = unique('nobody');
    await byTestId(page, 'auth-username').fill(username);
    const formError = byTestId(page, 'form-error');
    for (let i = 0; i < 3; i += 1) {
      await byTestId(page, 'auth-password').fill(`wrong-password-${i}`);
      await byTestId(page, 'auth-submit').click();
      await until(() => formError.allTextContents()).toEqual(['Wrong username or password']);
      await byTestId(page, 'auth-submit').and(page.locator(':enabled')).waitFor();
    }
    // The next attempt inside the lock is refused with the wait. Each failure doubles the
    // lock (1 s, 2 s, 4 s…), so on a slow machine a later attempt lands inside one.
    const tooMany = /^Too many failed sign-ins for this name; try again in \d+ s$/;
    for (let i = 3; i < 10 && !tooMany.test((await formError.textContent()) ?? ''); i += 1) {
      await byTestId(page, 'auth-password').fill(`wrong-password-${i}`);
      await byTestId(page, 'auth-submit').click();
      await until(async () => {
        const text = (await formError.textContent()) ?? '';
        return tooMany.test(text) || (await byTestId(page, 'auth-submit').isEnabled());
      }).toBe(true);
    }
    expect(await formError.allTextContents()).toEqual([expect.stringMatching(tooMany)]);
  });

  it('lets a guest use a name with spaces', async () => {
    const page = await browsers.open();
    const name = `Visitor Val ${unique('v').slice(1, 5)}`;
    await byTestId(page, 'auth-tab-guest').click();
    await byTestId(page, 'guest-name').fill(name);
    await byTestId(page, 'auth-submit').click();
    await conversationReady(page, 'global');
    expect(await page.locator('[data-testid="me"] .me-name bdi').textContent()).toBe(name);
  });

  it('makes the next guest on the browser a new person after a guest signs out', async () => {
    const page = await browsers.open();
    const asGuest = async (name: string) => {
      await byTestId(page, 'auth-tab-guest').click();
      await byTestId(page, 'guest-name').fill(name);
      await byTestId(page, 'auth-submit').click();
      await conversationReady(page, 'global');
      return (await attr(byTestId(page, 'me'), 'data-user-id'))[0];
    };
    const dee = await asGuest(unique('Dee'));
    await byTestId(page, 'sign-out').click();
    await byTestId(page, 'sign-out-confirm').click();
    await byTestId(page, 'auth-tab-signin').waitFor();

    const valName = unique('Val');
    const val = await asGuest(valName);
    expect(val).not.toBe(dee);
    expect(await page.locator('[data-testid="me"] .me-name bdi').textContent()).toBe(valName);
  });
});
