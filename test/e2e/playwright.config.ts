import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import { CHROMIUM_ARGS } from '@pod-watch/test-fixtures';

/**
 * End-to-end tests: the real app and backend (`yarn start`) in Chromium.
 * Playwright's own browser download is not needed: a system Chromium is used
 * when present (Debian's `chromium`, or CHROMIUM_PATH).
 */
const systemChromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find(
  p => p && fs.existsSync(p),
);

export default defineConfig({
  testDir: './tests',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'report' }]],
  outputDir: 'artifacts',
  webServer: [
    {
      command: 'yarn start',
      cwd: '../..',
      url: 'http://localhost:3000',
      reuseExistingServer: !process.env.CI,
      timeout: 240_000,
      stdout: 'ignore',
    },
    {
      // `yarn start` above also starts the backend; this entry only waits for its health
      // route, with a command that stays alive until Playwright stops it.
      command: 'node -e "setInterval(() => {}, 1 << 30)"',
      url: 'http://localhost:7007/api/pod-watch/health',
      reuseExistingServer: true,
      timeout: 240_000,
    },
  ],
  use: {
    // Guest sign-in only works when the host matches app.baseUrl.
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: systemChromium,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
