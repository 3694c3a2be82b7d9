import { Page } from '@playwright/test';

/** Signs in as the guest user the development config allows. */
export async function signInAsGuest(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('button', { name: 'Enter' }).click();
}
