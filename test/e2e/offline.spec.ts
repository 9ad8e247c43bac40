/**
 * The offline path, as a workshop room lives it: a first visit while the host's laptop is
 * reachable, then the network goes away and every page, sandbox and the search still work; later
 * the host publishes a new version and learners switch to it without losing progress.
 *
 * These tests serve a copy of the built folder from a server of their own (so a new version can
 * be published mid-test) and do not use the shared fixtures: request interception through
 * `page.route` makes Chromium bypass service workers, which are the subject here. Console errors
 * and requests leaving the server are checked by hand instead.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { writeServiceWorker } from '../../build/offline-integration';
import { startStaticServer, type StaticServer } from '../../bench/static-server';
import { chromiumArgs, chromiumExecutablePath } from './browser';

// The room opens the host by name over HTTP: a name mapped to this machine makes a page that is
// not on localhost, hence not a secure context, as on a real LAN (last test).
test.use({
  serviceWorkers: 'allow',
  launchOptions: {
    args: [...chromiumArgs, '--host-resolver-rules=MAP workshop-host.test 127.0.0.1'],
    ...(chromiumExecutablePath ? { executablePath: chromiumExecutablePath } : {}),
  },
});

const BUILT = process.env['MLSDL_OUT_DIR'] ?? 'dist';

let folder = '';
let server: StaticServer;

test.beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'mlsdl-offline-'));
  await cp(BUILT, folder, { recursive: true });
  server = await startStaticServer(folder);
});

test.afterEach(async () => {
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

/** Collects console errors and any request to another origin, from pages and the worker. */
function watch(context: BrowserContext, page: Page): { errors: string[]; foreign: string[] } {
  const seen = { errors: [] as string[], foreign: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  context.on('request', (request) => {
    const url = new URL(request.url());
    const local = [server.origin, server.origin.replace('127.0.0.1', 'workshop-host.test')];
    if (!['data:', 'blob:'].includes(url.protocol) && !local.includes(url.origin)) {
      seen.foreign.push(url.href);
    }
  });
  return seen;
}

async function firstVisit(page: Page): Promise<void> {
  await page.goto(`${server.origin}/`);
  // The footer says so once every file of the course is in the service worker's cache.
  await expect(page.locator('[data-offline="ready"]')).toContainText('Available offline', {
    timeout: 90_000,
  });
}

test('after a first visit, pages, sandboxes and search work with the network off', async ({
  context,
  page,
}) => {
  const seen = watch(context, page);
  await firstVisit(page);
  await context.setOffline(true);
  // The network really is gone: a file the course does not hold cannot be fetched.
  const uncached = await page.evaluate(() =>
    fetch('/not-part-of-the-course.txt').then(
      (response) => `status ${response.status}`,
      () => 'network error',
    ),
  );
  expect(uncached).toBe('network error');
  // Chromium logs that refused fetch; it was this test's own probe, not the course's.
  seen.errors.splice(0, seen.errors.length);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page
    .getByRole('link', { name: /business objectives/i })
    .first()
    .click();
  await expect(page).toHaveURL(/lessons\/01-business-objectives/);
  const ads = page.locator('[data-sandbox="ads"]');
  await ads.scrollIntoViewIfNeeded();
  await expect(ads).toHaveAttribute('data-ready', 'true');
  await ads.getByRole('button', { name: 'Run' }).click();
  await expect(ads).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  // A lesson never opened online, with a query the cache ignores; tfjs's WASM comes from the cache.
  await page.goto(`${server.origin}/lessons/02-ml-vs-business-metrics/?backend=wasm&epochs=2`);
  const training = page.locator('[data-sandbox="training"]');
  await training.scrollIntoViewIfNeeded();
  await expect(training.getByRole('status').filter({ hasText: 'Ready.' })).toBeVisible({
    timeout: 60_000,
  });
  await training.getByRole('button', { name: 'Train' }).click();
  await expect(training).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  expect(JSON.parse((await training.getAttribute('data-result')) ?? '{}')).toMatchObject({
    backend: 'wasm',
    epochs: 2,
  });

  await page.getByRole('button', { name: 'Search' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('input.pagefind-ui__search-input').fill('take-rate');
  await expect(dialog.getByRole('link').first()).toBeVisible();

  expect(seen.foreign, 'requests that left the host').toEqual([]);
  expect(seen.errors, 'console errors').toEqual([]);
});

test('a new version is offered, taken on request, and the learner’s progress is kept', async ({
  context,
  page,
}) => {
  const seen = watch(context, page);
  await firstVisit(page);
  await page.goto(`${server.origin}/lessons/01-business-objectives/`);
  const progress = await page.evaluate(() => localStorage.getItem('mlsdl.seen'));
  expect(progress).toContain('01-business-objectives');

  // The host publishes a new version: one page changes, and the worker's manifest with it.
  const home = join(folder, 'index.html');
  await writeFile(
    home,
    (await readFile(home, 'utf8')).replace('</main>', '<p id="new-version">v2</p></main>'),
  );
  await writeServiceWorker(folder);

  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
  });
  const footer = page.locator('[data-offline="update"]');
  await expect(footer).toContainText('A new version of the course is ready', { timeout: 60_000 });
  await footer.getByRole('button', { name: 'Use the new version' }).click();
  await page.waitForLoadState('load');
  await expect(page.locator('[data-offline="ready"]')).toBeVisible({ timeout: 60_000 });

  await context.setOffline(true);
  await page.goto(`${server.origin}/`);
  await expect(page.locator('#new-version')).toHaveText('v2');
  expect(await page.evaluate(() => localStorage.getItem('mlsdl.seen'))).toBe(progress);
  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('every page carries a policy that refuses inline scripts it does not list', async ({
  page,
}) => {
  const seen = watch(page.context(), page);
  await page.goto(`${server.origin}/lessons/02-ml-vs-business-metrics/`);
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  const scriptSrc = policy?.split(';').find((part) => part.trim().startsWith('script-src')) ?? '';
  expect(scriptSrc).toContain("'self'");
  expect(scriptSrc).not.toContain('unsafe-inline');
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(policy).toContain("default-src 'self'");

  // An injected inline script is refused, and the browser reports the violation.
  const outcome = await page.evaluate(
    () =>
      new Promise<{ ran: boolean; violated: string }>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) =>
          resolve({
            ran: (window as unknown as { injected?: boolean }).injected === true,
            violated: event.effectiveDirective,
          }),
        );
        const script = document.createElement('script');
        script.textContent = 'window.injected = true;';
        document.body.append(script);
      }),
  );
  expect(outcome).toEqual({ ran: false, violated: 'script-src-elem' });
  // The refusal is the only console error: the page's own scripts all ran under the policy.
  expect(seen.errors.filter((text) => !text.includes('Content Security Policy'))).toEqual([]);
});

test.describe('from a plain-HTTP address on the local network', () => {
  test('the footer says why the course is not kept offline, and the course still works', async ({
    page,
  }) => {
    const seen = watch(page.context(), page);
    const lan = server.origin.replace('127.0.0.1', 'workshop-host.test');
    await page.goto(`${lan}/lessons/01-business-objectives/`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    await expect(page.locator('[data-offline="insecure"]')).toContainText(
      'only from localhost or HTTPS',
    );
    const ads = page.locator('[data-sandbox="ads"]');
    await ads.scrollIntoViewIfNeeded();
    await expect(ads).toHaveAttribute('data-ready', 'true');
    await ads.getByRole('button', { name: 'Run' }).click();
    await expect(ads).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    expect(seen.errors).toEqual([]);
  });
});
