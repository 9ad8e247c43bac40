import { expect, readResult, test, waitForExercise } from './fixtures';
import type { Page } from '@playwright/test';

const LESSON_3 = '/lessons/03-company-metrics/';

async function openSandbox(page: Page) {
  await page.goto(LESSON_3);
  const sandbox = page.locator('[data-sandbox="take-rate"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  return sandbox;
}

test('the take-rate sandbox ranks recommenders by clicks and by quality plays', async ({
  page,
}) => {
  const sandbox = await openSandbox(page);
  expect(await readResult(sandbox)).toEqual({});

  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const base = await readResult(sandbox);
  // 2,000 members × 4 rows × 10 titles.
  expect(base['current.recommendationsSeen']).toBe(80_000);
  expect(base['input.current']).toBe('popularity');
  expect(base['input.candidate']).toBe('watch-model');
  // The clickbait case: the click model wins on clicks, the quality model on take-rate.
  expect(base['best.clickThrough']).toBe('click-model');
  expect(base['best.takeRate']).toBe('watch-model');
  expect(base['best.watchTime']).toBe('watch-model');
  expect(base['compare.rankingsDisagree']).toBe(true);
  expect(base['compare.subscribersKeptPerMonth'] as number).toBeGreaterThan(0);
  // The table shows the same take-rate as the result, as a percentage.
  const takeRate = (base['candidate.takeRate'] as number) * 100;
  await expect(
    sandbox
      .getByRole('row', { name: /^Take-rate/ })
      .getByRole('cell')
      .nth(1),
  ).toContainText(`${takeRate.toFixed(2)}%`);
  await expect(sandbox.locator('[data-verdict]')).toContainText('disagree');

  // A two-minute alternative counts abandoned plays: the click model now wins on take-rate too.
  await sandbox.getByLabel('Recommender today').selectOption('click-model');
  await sandbox.getByLabel('…or at least this many minutes (0 = off)').fill('2');
  await expect(sandbox.getByRole('status')).toContainText('press Run to update');
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect.poll(async () => (await readResult(sandbox))['input.minMinutes']).toBe(2);
  const lenient = await readResult(sandbox);
  expect(lenient['best.takeRate']).toBe('click-model');
  expect(lenient['best.watchTime']).toBe('watch-model');
  expect(lenient['compare.subscribersKeptPerMonth'] as number).toBeLessThan(0);

  // An impossible input is refused with a message, and nothing crashes.
  await sandbox.getByLabel('Members simulated').fill('50');
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'error');
  await expect(sandbox.getByRole('alert')).toContainText('members');

  await sandbox.getByRole('button', { name: 'Reset' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  expect(await readResult(sandbox)).toEqual({});
  await expect(sandbox.getByLabel('Members simulated')).toHaveValue('2000');
});

test('the take-rate sandbox works from the keyboard alone', async ({ page }) => {
  const sandbox = await openSandbox(page);
  const today = sandbox.getByLabel('Recommender today');
  await today.focus();
  await page.keyboard.press('ArrowDown');
  await expect(today).toHaveValue('watch-model');
  // Tab on to the share of the runtime, type a stricter rule and press Enter to run.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const share = sandbox.getByLabel('At least this share of the runtime watched (%)');
  await expect(share).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('90');
  await page.keyboard.press('Enter');
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const result = await readResult(sandbox);
  expect(result['input.current']).toBe('watch-model');
  expect(result['input.minSharePercent']).toBe(90);
  expect(result['compare.takeRateLeader']).toBe('tie');

  // Tab on past the other inputs to Run, then Reset.
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
  await expect(sandbox.getByRole('button', { name: 'Run' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(sandbox.getByRole('button', { name: 'Reset' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  await expect(today).toHaveValue('popularity');
});

test('lesson 3: the clicks-or-subscribers exercise is solved through the sandbox', async ({
  page,
}) => {
  const sandbox = await openSandbox(page);
  const exercise = await waitForExercise(page, 'clicks-or-subscribers');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await expect(sandbox.getByLabel('Candidate')).toHaveValue('click-model');
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  // The click-trained candidate keeps subscribers, but it is not the best candidate.
  await expect(
    exercise.locator('li', { hasText: 'No other candidate would keep more' }),
  ).toHaveAttribute('data-check-passed', 'false');
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'failed');

  await sandbox.getByLabel('Candidate').selectOption('watch-model');
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect.poll(async () => (await readResult(sandbox))['input.candidate']).toBe('watch-model');
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');
});
