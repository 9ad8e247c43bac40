import type { Locator } from '@playwright/test';
import { expect, LESSON_2, readResult, test, waitForRunEnd, waitUntilReady } from './fixtures';

async function thresholdResult(sandbox: Locator): Promise<Record<string, unknown>> {
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  return readResult(sandbox);
}

test('the threshold sandbox prices the trained model, by keyboard, typed value and the best button', async ({
  page,
}) => {
  await page.goto(`${LESSON_2}?backend=wasm`);
  const training = await waitUntilReady(page);
  const sandbox = page.locator('[data-sandbox="threshold"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  await expect(sandbox.getByRole('slider')).toBeDisabled();

  await training.scrollIntoViewIfNeeded();
  await training.getByRole('button', { name: 'Train' }).click();
  expect(await waitForRunEnd(training)).toBe('done');

  await sandbox.scrollIntoViewIfNeeded();
  const atHalf = await thresholdResult(sandbox);
  expect(atHalf['threshold']).toBe(0.5);
  // The money and the confusion matrix agree with the training sandbox at 0.5.
  const trained = await readResult(training);
  expect(atHalf['confusion']).toEqual(trained['confusion']);
  expect(atHalf['accuracy']).toBeCloseTo(trained['accuracy'] as number, 3);
  const [low, high] = atHalf['netSavingsIntervalUsd'] as [number, number];
  expect(low).toBeLessThanOrEqual(atHalf['netSavingsUsd'] as number);
  expect(high).toBeGreaterThanOrEqual(atHalf['netSavingsUsd'] as number);
  expect(atHalf['bestNetSavingsUsd']).toBeGreaterThanOrEqual(atHalf['netSavingsUsd'] as number);

  // Keyboard: the slider moves in steps of 0.01.
  const slider = sandbox.getByRole('slider');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await readResult(sandbox))['threshold']).toBe(0.51);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await readResult(sandbox))['threshold']).toBe(0.49);

  // A typed value.
  const typed = sandbox.getByLabel('Threshold (type a value)');
  await typed.fill('0.3');
  await typed.press('Enter');
  await expect.poll(async () => (await readResult(sandbox))['threshold']).toBe(0.3);
  await expect(slider).toHaveValue('0.3');

  // The best threshold is at least as good as any other.
  await sandbox.getByRole('button', { name: 'Go to the best threshold' }).click();
  const best = await thresholdResult(sandbox);
  expect(best['threshold']).toBe(Math.round((best['bestThreshold'] as number) * 100) / 100);
  expect(best['netSavingsUsd']).toBeGreaterThanOrEqual(atHalf['netSavingsUsd'] as number);

  // Dearer reviews make flagging costlier: the best threshold does not fall.
  const review = sandbox.getByLabel('Review cost per alert');
  await review.fill('200');
  await review.press('Tab');
  await expect
    .poll(
      async () =>
        ((await readResult(sandbox))['costs'] as Record<string, number>)['reviewCostPerAlertUsd'],
    )
    .toBe(200);
  const dearer = await thresholdResult(sandbox);
  expect(dearer['bestThreshold']).toBeGreaterThanOrEqual(best['bestThreshold'] as number);
  expect(dearer['bestNetSavingsUsd']).toBeLessThanOrEqual(best['bestNetSavingsUsd'] as number);
});

test('without a trained model, a built-in one can be priced', async ({ page }) => {
  await page.goto(LESSON_2);
  const sandbox = page.locator('[data-sandbox="threshold"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await sandbox.getByRole('button', { name: 'Use a built-in model' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(sandbox).toContainText('the built-in model');
  const result = await readResult(sandbox);
  expect(result['netSavingsUsd']).toEqual(expect.any(Number));
  expect(result['bestNetSavingsUsd']).toBeGreaterThanOrEqual(result['netSavingsUsd'] as number);
});
