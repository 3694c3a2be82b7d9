import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('an annotated entity has the Pod health and Logs tabs', async ({
  page,
}) => {
  await signInAsGuest(page, '/catalog/default/component/checkout');

  await expect(page.getByRole('heading', { name: 'checkout' })).toBeVisible();
  await page.getByRole('link', { name: 'Pod health', exact: true }).click();

  await expect(page).toHaveURL(/\/pod-watch$/);
  await expect(page.getByRole('heading', { name: 'Pod health' })).toBeVisible();
  // with or without pods collected, the tab names how the entity's pods are selected
  await expect(
    page
      .getByText(/backstage\.io\/kubernetes-id=checkout/)
      .or(page.getByRole('button', { name: /^Failing: \d+$/ })),
  ).toBeVisible();

  await page.getByRole('link', { name: 'Logs', exact: true }).click();
  await expect(page).toHaveURL(/\/pod-watch-logs$/);
  await expect(page.getByRole('heading', { name: 'Logs' })).toBeVisible();
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
