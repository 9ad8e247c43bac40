/**
 * Playwright fixtures shared by every browser test: each page is watched, and a test fails if
 * the page logs a console error, throws, or sends any request that leaves this machine.
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test';

interface Guard {
  consoleErrors: string[];
  externalRequests: string[];
}

export const test = base.extend<{ guard: Guard }>({
  guard: [
    async ({ page }, use) => {
      const guard: Guard = { consoleErrors: [], externalRequests: [] };
      page.on('console', (message) => {
        if (message.type() === 'error') guard.consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => guard.consoleErrors.push(`uncaught: ${error.message}`));
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
        if (local || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
        guard.externalRequests.push(url.href);
        return route.abort('blockedbyclient');
      });
      await use(guard);
      expect(guard.externalRequests, 'requests that left localhost').toEqual([]);
      expect(guard.consoleErrors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The training sandbox's root element. */
export function trainingSandbox(page: Page): Locator {
  return page.locator('[data-sandbox="training"]');
}

/** The sandbox's data-result, parsed. */
export async function readResult(sandbox: Locator): Promise<Record<string, unknown>> {
  return JSON.parse((await sandbox.getAttribute('data-result')) ?? '{}') as Record<string, unknown>;
}

/** Waits until the sandbox has hydrated and its worker is ready to train. */
export async function waitUntilReady(page: Page): Promise<Locator> {
  const sandbox = trainingSandbox(page);
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox.getByRole('status').filter({ hasText: 'Ready.' })).toBeVisible({
    timeout: 60_000,
  });
  return sandbox;
}

/** Waits for a run to end (status done or error) and returns the final status. */
export async function waitForRunEnd(sandbox: Locator, timeoutMs = 120_000): Promise<string> {
  await expect(sandbox).toHaveAttribute('data-status', /^(done|error)$/, { timeout: timeoutMs });
  return (await sandbox.getAttribute('data-status')) ?? '';
}

/** Lesson 2's address, where the training sandbox lives. */
export const LESSON_2 = '/lessons/02-ml-vs-business-metrics/';

/** Scrolls to an exercise and waits until its island has hydrated (clicks before are lost). */
export async function waitForExercise(page: Page, id: string): Promise<Locator> {
  const exercise = page.locator(`[data-exercise="${id}"]`);
  await exercise.scrollIntoViewIfNeeded();
  await expect(exercise).toHaveAttribute('data-ready', 'true');
  return exercise;
}
