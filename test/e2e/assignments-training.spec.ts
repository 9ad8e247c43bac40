/**
 * An assignment with a training exercise: the dashboard verifies the student's receipt by
 * training the same model again in its own training worker, then flags a copy whose claimed
 * AUC was raised by hand.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, LESSON_2, test, waitForExercise, waitForRunEnd, waitUntilReady } from './fixtures';

const BUILDER = '/instructors/build-assignment/';
const DASHBOARD = '/instructors/dashboard/';

async function downloaded(page: Page, click: () => Promise<void>): Promise<[Download, string]> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return [download, readFileSync(await download.path(), 'utf8')];
}

test('a training receipt is verified on the dashboard by training again', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(BUILDER);
  await expect(page.locator('[data-assignment-builder]')).toHaveAttribute('data-ready', 'true');
  await page.getByLabel('Assignment title').fill('Week 2: a straight line');
  await page.getByRole('checkbox', { name: 'How far can a straight line go?' }).check();
  const link = await page.getByLabel('Assignment link').inputValue();

  await page.goto(link);
  const student = page.locator('[data-assignment-page]');
  await expect(student).toHaveAttribute('data-ready', 'true');
  await page.getByLabel('Your name').fill('Grace');
  await page.getByLabel(/Your code/).fill('lab b');
  await page.getByLabel(/Your code/).press('Enter');
  await expect(student.getByRole('status').filter({ hasText: 'lab b' })).toBeVisible();

  // Solve it on lesson 2 with the exercise's own hint: learning rate 0.05, 10 epochs, on cpu.
  await page.goto(`${LESSON_2}?backend=cpu`);
  const sandbox = await waitUntilReady(page);
  const exercise = await waitForExercise(page, 'logistic-auc');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await sandbox.getByLabel('Learning rate').fill('0.05');
  await sandbox.getByLabel('Learning rate').press('Tab');
  await sandbox.getByLabel('Epochs').fill('10');
  await sandbox.getByLabel('Epochs').press('Tab');
  await sandbox.getByRole('button', { name: 'Train' }).click();
  expect(await waitForRunEnd(sandbox)).toBe('done');
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');

  await page.goto(link);
  await expect(student.locator('[data-standing="solved"]')).toHaveCount(1);
  const [, bundleText] = await downloaded(page, () =>
    page.getByRole('button', { name: 'Download submission' }).click(),
  );
  const forged = JSON.parse(bundleText) as {
    student: { name: string };
    receipts: { results: Record<string, unknown> }[];
  };
  forged.student.name = 'Forged AUC';
  forged.receipts[0]!.results['validation.rocAuc'] = 0.99;

  await page.goto(DASHBOARD);
  const dashboard = page.locator('[data-dashboard]');
  await expect(dashboard).toHaveAttribute('data-ready', 'true');
  await page.getByLabel('Assignment link').fill(link);
  await page.getByRole('button', { name: 'Load link' }).click();
  await page.locator('#dashboard-files-input').setInputFiles([
    { name: 'grace.json', mimeType: 'application/json', buffer: Buffer.from(bundleText) },
    {
      name: 'forged.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(forged)),
    },
  ]);
  const honest = dashboard.locator('tr[data-student="Grace"] td[data-cell="logistic-auc"]');
  await expect(honest).toHaveAttribute('data-status', 'verified', { timeout: 120_000 });
  const flagged = dashboard.locator('tr[data-student="Forged AUC"] td[data-cell="logistic-auc"]');
  await expect(flagged).toHaveAttribute('data-status', 'flagged', { timeout: 120_000 });
  await expect(flagged).toContainText('does not reproduce');
});
