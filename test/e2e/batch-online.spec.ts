import { expect, readResult, test } from './fixtures';

const LESSON_3 = '/lessons/03-company-metrics/';

test('the batch-vs-online sandbox simulates a day and compares the three ways to serve', async ({
  page,
}) => {
  await page.goto(LESSON_3);
  const sandbox = page.locator('[data-sandbox="batch-online"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');

  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const base = await readResult(sandbox);
  expect(base['input.seed']).toBe(1);
  expect(base['input.onlineModel']).toBe('medium');
  expect(base['traffic.sessionsPerDay']).toBe(60_000);
  // Intent moves on 10% of pages: online and hybrid beat batch on relevance.
  expect(base['online.relevance'] as number).toBeGreaterThan(base['batch.relevance'] as number);
  expect(base['hybrid.relevance'] as number).toBeGreaterThan(base['batch.relevance'] as number);
  // Batch scores every registered shopper; online one prediction per page viewed.
  expect(base['batch.predictionsPerDay']).toBe(200_000);
  expect(base['online.predictionsPerDay']).toBe(480_000);
  await expect(sandbox.locator('[data-verdict]')).toContainText('Online recommendations hold');
  await expect(sandbox.getByRole('img', { name: /Relevance by page/ })).toBeVisible();
  await sandbox.getByText('Relevance by page as a table').click();
  await expect(sandbox.getByRole('row')).not.toHaveCount(0);

  // Run again: the same inputs give the same numbers.
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  expect(await readResult(sandbox)).toEqual(base);
  const timing = (await sandbox.getByRole('status').textContent()) ?? '';
  console.info(`batch-online second run: ${timing.trim()}`);

  // A refused input shows a message and nothing crashes.
  const k = sandbox.getByLabel('Recommendations per page (k)');
  await k.fill('0');
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'error');
  await expect(sandbox.getByRole('alert')).toContainText('k');

  await sandbox.getByRole('button', { name: 'Reset' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  await expect(k).toHaveValue('4');
});

test('the sandbox works from the keyboard alone', async ({ page }) => {
  await page.goto(LESSON_3);
  const sandbox = page.locator('[data-sandbox="batch-online"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');

  // No new shoppers and no change of mind: batch lists are already right.
  await sandbox.getByLabel('Share of sessions from new shoppers').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('0');
  await page.keyboard.press('Tab');
  await expect(sandbox.getByLabel('Chance intent moves, per page')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('0');
  // Tab to the model size and pick "Large" with the arrow keys.
  await page.keyboard.press('Tab');
  const model = sandbox.getByLabel('Online model size');
  await expect(model).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(model).toHaveValue('large');
  // Enter in a field submits the form: Run.
  await sandbox.getByLabel('Seed').focus();
  await page.keyboard.press('Enter');
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const still = await readResult(sandbox);
  expect(still['input.intentShiftProbability']).toBe(0);
  expect(still['input.onlineModel']).toBe('large');
  expect(still['online.relevance']).toBe(1);
  expect(still['batch.relevance']).toBe(1);
  // Same relevance, slower pages and more compute: online loses money.
  expect(still['comparison.onlineNetGainUsdPerDay'] as number).toBeLessThan(0);

  // Tab on to Run and press it with the space bar after the intent starts moving.
  await sandbox.getByLabel('Chance intent moves, per page').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('0.3');
  await sandbox.getByRole('button', { name: 'Run' }).focus();
  await page.keyboard.press('Space');
  await expect
    .poll(async () => (await readResult(sandbox))['input.intentShiftProbability'])
    .toBe(0.3);
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const moving = await readResult(sandbox);
  expect(moving['online.relevance'] as number).toBeGreaterThan(moving['batch.relevance'] as number);
  expect(moving['comparison.onlineNetGainUsdPerDay'] as number).toBeGreaterThan(0);

  await page.keyboard.press('Tab');
  await expect(sandbox.getByRole('button', { name: 'Reset' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
});
