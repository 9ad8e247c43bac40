import { expect, test, waitForExercise } from './fixtures';

const LESSON_5 = '/lessons/05-realistic-returns/';

test('lesson 5: an exercise in the returns sandbox is solved, submitted and verified by replay', async ({
  page,
}) => {
  await page.goto(LESSON_5);
  const sandbox = page.locator('[data-sandbox="returns"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  const exercise = await waitForExercise(page, 'pilot-downside');
  await expect(exercise).toHaveAttribute('data-exercise-status', 'open');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await expect(sandbox.getByLabel('Seed')).toHaveValue('1');

  // As loaded, the chance of a losing month (about 22%) is above the 5% target.
  const lossCheck = exercise.locator('li', { hasText: 'Chance of a losing month' });
  await expect(lossCheck).toHaveAttribute('data-check-passed', 'false');
  // Raising the likely uplift is not allowed, and would not be enough anyway.
  const likely = sandbox.getByLabel('Uplift: extra purchases per visit, likely');
  await likely.fill('0.002');
  await likely.press('Tab');
  await expect(lossCheck).toHaveAttribute('data-check-passed', 'false');
  await expect(exercise.locator('li', { hasText: 'Likely uplift unchanged' })).toHaveAttribute(
    'data-check-passed',
    'false',
  );
  await likely.fill('0.001');
  await likely.press('Tab');

  // What a pilot must show: the uplift is not negative.
  const low = sandbox.getByLabel('Uplift: extra purchases per visit, low');
  await low.fill('0');
  await low.press('Tab');
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');

  await page.goto('/progress/');
  await page.locator('[data-receipts]').scrollIntoViewIfNeeded();
  const receipt = page.locator('[data-receipt="pilot-downside"]').first();
  await receipt.scrollIntoViewIfNeeded();
  await expect(receipt).toContainText('computed in js');
  await receipt.getByRole('button', { name: 'Verify by replay' }).click();
  await expect(receipt.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'ok');
  await expect(receipt.locator('[data-verdict]')).toContainText('Verified: replayed on js');
});
