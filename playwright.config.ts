import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutablePath } from './test/e2e/browser';

// MLSDL_E2E_PORT lets a second run (with its own MLSDL_OUT_DIR build) go on beside this one.
const port = Number(process.env['MLSDL_E2E_PORT'] ?? 4327);

export default defineConfig({
  testDir: './test/e2e',
  outputDir: process.env['MLSDL_E2E_OUTPUT'] ?? 'test-results',
  // Two cores: the sandbox trains in a worker, and parallel runs would only fight for the CPU.
  workers: 1,
  fullyParallel: false,
  retries: process.env['CI'] ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    // The service worker precaches the whole course (~8 MB) on a first visit; every test starts
    // a fresh browser context, so it would download the course again each time. The offline spec
    // allows it where it is the subject.
    serviceWorkers: 'block',
    launchOptions: {
      args: chromiumArgs,
      ...(chromiumExecutablePath ? { executablePath: chromiumExecutablePath } : {}),
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // --ignore-lock: a developer's own preview server (or a second run) must not block this one.
    command: `npx astro preview --host 127.0.0.1 --port ${port} --ignore-lock`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
