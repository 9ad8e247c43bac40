/**
 * The model-count sandbox (lesson 7) through its contract: data-status, data-result, controls by
 * label driven from the keyboard, the chart's table, and an exercise solved through the page.
 */
import type { Page } from '@playwright/test';
import { expect, readResult, test, waitForExercise } from './fixtures';

const LESSON_7 = '/lessons/07-scalability/';

async function openSandbox(page: Page) {
  await page.goto(LESSON_7);
  const sandbox = page.locator('[data-sandbox="model-count"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  return sandbox;
}

test('lesson 7: the model-count sandbox answers from the keyboard', async ({ page }) => {
  const sandbox = await openSandbox(page);
  const start = await readResult(sandbox);
  // 200 of 8 000 customers cached at s = 1: about half the requests load their model (70 ms).
  expect(start['hitRate']).toBeGreaterThan(0.45);
  expect(start['hitRate']).toBeLessThan(0.55);
  expect(start['addedP99LatencyMs']).toBe(70);
  expect(start['input.approach']).toBe('lru-cache');
  const computeMs = Number(await sandbox.getAttribute('data-compute-ms'));
  console.info(`model-count computed in ${computeMs} ms`);

  // The skew slider, from the keyboard: End takes it to s = 2, where 200 models catch 99%+.
  const skew = sandbox.getByLabel('Traffic skew (Zipf exponent s)');
  await skew.focus();
  await page.keyboard.press('End');
  await expect(sandbox.locator('output')).toHaveText('2.00');
  await expect.poll(async () => (await readResult(sandbox))['input.zipfExponent']).toBe(2);
  const skewed = await readResult(sandbox);
  expect(skewed['hitRate']).toBeGreaterThan(0.99);
  expect(skewed['addedP99LatencyMs']).toBe(0);

  // The approach radios, from the keyboard: up from the cache to every model in memory.
  const cache = sandbox.getByRole('radio', { name: 'A cache of K models' });
  await expect(cache).toBeChecked();
  await cache.focus();
  await page.keyboard.press('ArrowUp');
  await expect(sandbox.getByRole('radio', { name: 'Every model in memory' })).toBeChecked();
  await expect
    .poll(async () => (await readResult(sandbox))['input.approach'])
    .toBe('all-in-memory');
  const all = await readResult(sandbox);
  // 80 GB of models over 30 GB of room per large CPU replica: three shards.
  expect(all['shards']).toBe(3);
  expect(all['hitRate']).toBe(1);
  await expect(sandbox.locator('[data-verdict]')).toContainText('3 shards');

  // The cache size, typed: a cache that does not fit is reported, not hidden.
  await cache.focus();
  await page.keyboard.press('Space');
  const k = sandbox.getByLabel('Models cached per replica (K)');
  await k.fill('4000');
  await k.press('Tab');
  await expect.poll(async () => (await readResult(sandbox))['fits']).toBe(false);
  await expect(sandbox.locator('[data-verdict]')).toContainText('does not fit');

  // The chart has its numbers in a table.
  await sandbox.getByText('Show the curve as a table').click();
  await expect(sandbox.locator('.hit-chart tbody tr')).toHaveCount(17);

  // A model too big for the replica is refused in words; Reset brings the defaults back.
  await sandbox.getByLabel('Replica type').selectOption('cpu-small');
  await sandbox.getByLabel('Model per customer').selectOption('network-100m');
  await expect(sandbox).toHaveAttribute('data-status', 'error');
  await expect(sandbox.getByRole('alert')).toContainText('needs 16 GB');
  await sandbox.getByRole('button', { name: 'Reset' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  expect(await readResult(sandbox)).toEqual(start);
});

test('lesson 7: a cache just big enough for the p99 is solved through the page', async ({
  page,
}) => {
  const sandbox = await openSandbox(page);
  const exercise = await waitForExercise(page, 'cache-size-for-the-tail');
  await expect(exercise).toHaveAttribute('data-exercise-status', 'open');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await expect(sandbox.locator('output')).toHaveText('1.60');
  const k = sandbox.getByLabel('Models cached per replica (K)');
  await expect(k).toHaveValue('200');

  const tail = exercise.locator('li', { hasText: 'Model loads add no more than your budget' });
  const memory = exercise.locator('li', { hasText: 'no more memory than operations allows' });
  await expect(tail).toHaveAttribute('data-check-passed', 'false');

  // Too big: the loads leave the p99, but the memory check fails.
  await k.fill('2000');
  await k.press('Tab');
  await expect(tail).toHaveAttribute('data-check-passed', 'true');
  await expect(memory).toHaveAttribute('data-check-passed', 'false');

  // Just big enough.
  await k.fill('1350');
  await k.press('Tab');
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');
});
