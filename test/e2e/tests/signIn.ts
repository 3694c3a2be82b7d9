import { expect, Page } from '@playwright/test';

const BACKEND = 'http://localhost:7007';

/**
 * Waits until the catalog knows the entity a `/catalog/:namespace/:kind/:name` path opens: a
 * freshly (re)started development backend ingests its catalog again first.
 */
async function waitForEntity(page: Page, path: string) {
  const m = path.match(/^\/catalog\/([^/]+)\/([^/]+)\/([^/?]+)/);
  if (!m) return;
  const [, namespace, kind, name] = m;
  await expect(async () => {
    const auth = await page.request.get(
      `${BACKEND}/api/auth/guest/refresh?env=development`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    const token = (await auth.json()).backstageIdentity.token;
    const res = await page.request.get(
      `${BACKEND}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(res.status()).toBe(200);
  }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
}

/**
 * Signs in as the guest user the development config allows. Retries while the backend is
 * restarting (`yarn start` reloads it on source changes), when guest sign-in fails for a moment.
 */
export async function signInAsGuest(page: Page, path: string, attempts = 4) {
  await waitForEntity(page, path);
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
