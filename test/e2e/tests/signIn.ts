import { Page } from '@playwright/test';

/**
 * Signs in as the guest user the development config allows. Retries while the backend is
 * restarting (`yarn start` reloads it on source changes), when guest sign-in fails for a moment.
 */
export async function signInAsGuest(page: Page, path: string, attempts = 4) {
  for (let attempt = 1; ; attempt++) {
    await page.goto(path);
    const enter = page.getByRole('button', { name: 'Enter' });
    await enter.click();
    const failed = page.getByText('You cannot sign in as a guest');
    const outcome = await Promise.race([
      enter.waitFor({ state: 'detached', timeout: 30_000 }).then(() => 'ok'),
      failed
        .waitFor({ state: 'visible', timeout: 30_000 })
        .then(() => 'failed'),
    ]).catch(() => 'timeout');
    if (outcome === 'ok') return;
    if (attempt >= attempts)
      throw new Error(`Guest sign-in failed (${outcome})`);
    await page.waitForTimeout(5000);
  }
}
