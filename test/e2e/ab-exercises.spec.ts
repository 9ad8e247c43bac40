import { expect, test, waitForExercise } from './fixtures';

const LESSON_4 = '/lessons/04-ab-tests/';

test('lesson 4: sizing a test in the A/B sandbox solves an exercise, verified by replay', async ({
  page,
}) => {
  await page.goto(LESSON_4);
  const sandbox = page.locator('[data-sandbox="ab-test"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  const exercise = await waitForExercise(page, 'ab-size-the-test');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await expect(sandbox.getByLabel('Model B (treatment)')).toHaveValue('session-aware');
  await expect(sandbox.getByLabel('Seed', { exact: true })).toHaveValue('7');

  // The starting test (2,000 users per arm) has far too little power for a one-point lift.
  await sandbox.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(exercise.locator('li', { hasText: 'at least 80% power' })).toHaveAttribute(
    'data-check-passed',
    'false',
  );

  const lift = sandbox.getByLabel('Smallest lift worth detecting (points)');
  await lift.fill('1');
  await lift.press('Tab');
  await sandbox.getByRole('button', { name: 'Use this size' }).click();
  await sandbox.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');

  await page.goto('/progress/');
  await page.locator('[data-receipts]').scrollIntoViewIfNeeded();
  const receipt = page.locator('[data-receipt="ab-size-the-test"]').first();
  await receipt.scrollIntoViewIfNeeded();
  await receipt.getByRole('button', { name: 'Verify by replay' }).click();
  await expect(receipt.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'ok');
});
