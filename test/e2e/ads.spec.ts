import { expect, readResult, test, waitForExercise } from './fixtures';

const LESSON_1 = '/lessons/01-business-objectives/';

test('the ad sandbox: accuracy stays put while revenue follows ranking and calibration', async ({
  page,
}) => {
  await page.goto(LESSON_1);
  const sandbox = page.locator('[data-sandbox="ads"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');

  // Every feature group: close to the best possible revenue, with a random ad's accuracy.
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const full = await readResult(sandbox);
  const accuracy = full['learned.accuracy'] as number;
  expect(Math.abs(accuracy - (full['random.accuracy'] as number))).toBeLessThan(0.001);
  expect(full['learned.rpmPercentOfOracle'] as number).toBeGreaterThan(95);
  expect(full['random.rpmPercentOfOracle'] as number).toBeLessThan(50);
  await expect(sandbox.getByRole('table')).toBeVisible();
  await expect(sandbox.getByRole('img', { name: /Calibration on the day/ })).toBeVisible();
  await expect(sandbox.locator('[data-verdict]')).toContainText('accuracy cannot tell');

  // By keyboard: Space unticks the match features, Enter in a field runs the day again.
  const match = sandbox.getByLabel('The match: the visitor’s interest in the ad’s category');
  await match.focus();
  await page.keyboard.press('Space');
  await expect(match).not.toBeChecked();
  await sandbox.getByLabel('Seed').focus();
  await page.keyboard.press('Enter');
  await expect
    .poll(async () => (await readResult(sandbox))['input.matchFeatures'], { timeout: 30_000 })
    .toBe('off');
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const noMatch = await readResult(sandbox);
  expect(noMatch['learned.rpmPercentOfOracle'] as number).toBeLessThan(
    (full['learned.rpmPercentOfOracle'] as number) - 5,
  );
  expect(Math.abs((noMatch['learned.accuracy'] as number) - accuracy)).toBeLessThan(0.001);

  // Downsampled training inflates the forecast; the correction brings it back.
  await match.check();
  await sandbox.getByLabel('Share of non-clicks kept for training (0.01–1)').fill('0.1');
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect
    .poll(async () => (await readResult(sandbox))['input.negativeSamplingRate'])
    .toBe(0.1);
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const inflated = await readResult(sandbox);
  expect(inflated['learned.forecastErrorPercent'] as number).toBeGreaterThan(100);
  expect(inflated['learned.calibrationRatio'] as number).toBeGreaterThan(3);

  await sandbox.getByLabel('Correct predictions for the downsampling').check();
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect.poll(async () => (await readResult(sandbox))['input.correction']).toBe('on');
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const corrected = await readResult(sandbox);
  expect(Math.abs(corrected['learned.forecastErrorPercent'] as number)).toBeLessThan(20);
  expect(corrected['learned.rocAuc']).toBe(inflated['learned.rocAuc']);

  // A refused input is reported, not crashed on.
  await sandbox.getByLabel('Logged impressions to learn from').fill('10');
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'error');
  await expect(sandbox.getByRole('alert')).toContainText('impressions');

  await sandbox.getByRole('button', { name: 'Reset' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  await expect(sandbox.getByLabel('Logged impressions to learn from')).toHaveValue('50000');
  await expect(match).toBeChecked();
});

test('lesson 1: the two-feature-groups exercise is solved through the ad sandbox', async ({
  page,
}) => {
  await page.goto(LESSON_1);
  const sandbox = page.locator('[data-sandbox="ads"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  const exercise = await waitForExercise(page, 'ad-two-feature-groups');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  const context = sandbox.getByLabel('The slot’s context', { exact: false });
  const ad = sandbox.getByLabel('The ad: its quality score and category');
  await expect(context).toBeChecked();
  await expect(ad).not.toBeChecked();

  // The starting pair (context + match) has two groups, but earns too little.
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const rpmLine = exercise.locator('li', { hasText: 'RPM reaches the target share' });
  await expect(rpmLine).toHaveAttribute('data-check-passed', 'false');
  // The "at most two groups" rule is one line, passing, though two of its alternatives are not taken.
  await expect(exercise.locator('li', { hasText: 'At most two feature groups' })).toHaveAttribute(
    'data-check-passed',
    'true',
  );

  await context.uncheck();
  await ad.check();
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect
    .poll(async () => (await readResult(sandbox))['input.adFeatures'], { timeout: 30_000 })
    .toBe('on');
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');
});
