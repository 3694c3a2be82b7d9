import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('an annotated entity has the Pod health, Logs and Incidents tabs', async ({
  page,
}) => {
  await signInAsGuest(page, '/catalog/default/component/checkout');

  await expect(page.getByRole('heading', { name: 'checkout' })).toBeVisible();
  await page.getByRole('link', { name: 'Pod health', exact: true }).click();

  await expect(page).toHaveURL(/\/pod-watch$/);
  await expect(
    page.getByRole('heading', { name: 'Pod health', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('group', { name: 'Filter by health' }),
  ).toBeVisible();
  // with or without pods collected, the tab shows pods or names how they are selected
  await expect(
    page
      .getByText(/backstage\.io\/kubernetes-id=checkout/)
      .or(page.getByTestId('pod-row'))
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'artifacts/pod-health-tab.png',
    fullPage: true,
  });

  await page.getByRole('link', { name: 'Logs', exact: true }).click();
  await expect(page).toHaveURL(/\/pod-watch-logs$/);
  await expect(
    page.getByRole('heading', { name: 'Logs', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('group', { name: 'Filter by level' }),
  ).toBeVisible();
  await page.screenshot({ path: 'artifacts/logs-tab.png', fullPage: true });

  await page.getByRole('link', { name: 'Incidents', exact: true }).click();
  await expect(page).toHaveURL(/\/pod-watch-incidents$/);
  await expect(
    page.getByRole('heading', { name: 'Incidents', exact: true }),
  ).toBeVisible();
  await expect(
    page
      .getByText('No incidents', { exact: true })
      .or(page.getByRole('table', { name: 'Open incidents' }))
      .or(page.getByText('No open incidents.'))
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'artifacts/incidents-tab.png',
    fullPage: true,
  });
});

test('the overview page shows the Pod Watch card', async ({ page }) => {
  await signInAsGuest(page, '/catalog/default/component/checkout');
  await expect(
    page.getByRole('heading', { name: /^Open incidents/ }),
  ).toBeVisible();
  // loaded: a pod summary (or none yet) and the open incidents (or none)
  await expect(
    page.getByText(/^(No pods found yet\.|\d+ pods?: .*)$/),
  ).toBeVisible();
  await expect(
    page
      .getByText('No open incidents.')
      .or(page.getByRole('list', { name: 'Open incidents' })),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'All incidents' }),
  ).toHaveAttribute(
    'href',
    /\/catalog\/default\/component\/checkout\/pod-watch-incidents$/,
  );
  await page.screenshot({
    path: 'artifacts/overview-card.png',
    fullPage: true,
  });
  await page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Pod Watch' })
    .filter({ has: page.getByRole('link', { name: 'All incidents' }) })
    .last()
    .screenshot({ path: 'artifacts/overview-card-only.png' });
});

test('an entity without Kubernetes annotations says what to add', async ({
  page,
}) => {
  await signInAsGuest(
    page,
    '/catalog/default/component/pod-watch-backend/pod-watch',
  );

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
