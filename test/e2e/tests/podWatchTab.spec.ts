import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('an annotated entity shows the Pod Watch tab with its pod selector', async ({
  page,
}) => {
  await signInAsGuest(page, '/catalog/default/component/checkout');

  await expect(page.getByRole('heading', { name: 'checkout' })).toBeVisible();
  await page.getByRole('link', { name: 'Pod Watch', exact: true }).click();

  await expect(page).toHaveURL(/\/pod-watch$/);
  await expect(
    page.getByText('backstage.io/kubernetes-id=checkout'),
  ).toBeVisible();
  await expect(page.getByText('0.1.0')).toBeVisible();
  await page.screenshot({ path: 'artifacts/pod-watch-tab.png' });
});

test('an entity without Kubernetes annotations says what to add', async ({
  page,
}) => {
  await signInAsGuest(page, '/catalog/default/component/pod-watch-backend/pod-watch');

  await expect(
    page.getByText('No Kubernetes workload is linked to this entity'),
  ).toBeVisible();
  await expect(page.getByText(/backstage\.io\/kubernetes-id:/)).toBeVisible();
});

test('the health route answers without a token', async ({ request }) => {
  const res = await request.get('http://localhost:7007/api/pod-watch/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({
    status: 'ok',
    database: { status: 'ok' },
  });
});
