import { expect, readResult, test } from './fixtures';

const LESSON_5 = '/lessons/05-realistic-returns/';

test('the returns sandbox turns ranges into a distribution of monthly returns', async ({
  page,
}) => {
  await page.goto(LESSON_5);
  const sandbox = page.locator('[data-sandbox="returns"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const base = await readResult(sandbox);
  expect(base['draws']).toBe(10_000);
  const p05 = base['p05NetUsdPerMonth'] as number;
  const p95 = base['p95NetUsdPerMonth'] as number;
  expect(p05).toBeLessThan(base['medianNetUsdPerMonth'] as number);
  expect(p95).toBeGreaterThan(base['medianNetUsdPerMonth'] as number);
  const lossChance = base['probabilityOfLoss'] as number;
  expect(lossChance).toBeGreaterThan(0);
  expect(lossChance).toBeLessThan(1);

  // A model that can only hurt loses money in every draw.
  const high = sandbox.getByLabel('Uplift: extra purchases per visit, high');
  await high.fill('-0.0001');
  await high.press('Tab');
  const likely = sandbox.getByLabel('Uplift: extra purchases per visit, likely');
  await likely.fill('-0.0005');
  await likely.press('Tab');
  await expect.poll(async () => (await readResult(sandbox))['probabilityOfLoss']).toBe(1);
  await expect(sandbox.locator('[data-value="probabilityOfLoss"]')).toHaveText('100.0%');

  // An impossible range (likely above high) is refused with a message, and nothing crashes.
  await likely.fill('0.01');
  await likely.press('Tab');
  await expect(sandbox).toHaveAttribute('data-status', 'error');
  await expect(sandbox.getByRole('alert')).toBeVisible();

  await sandbox.getByRole('button', { name: 'Reset' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  expect(await readResult(sandbox)).toEqual(base);
});
