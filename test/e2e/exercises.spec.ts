import type { Locator, Page } from '@playwright/test';
import { expect, LESSON_2, test, waitForExercise, waitForRunEnd, waitUntilReady } from './fixtures';

/** Solves `accuracy-trap` (default variant) with its reference solution, through the UI. */
async function solveAccuracyTrap(page: Page): Promise<Locator> {
  await page.goto(`${LESSON_2}?backend=wasm`);
  const sandbox = await waitUntilReady(page);
  const exercise = await waitForExercise(page, 'accuracy-trap');
  await expect(exercise).toHaveAttribute('data-exercise-status', 'open');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await expect(sandbox.getByLabel('Class weighting')).toHaveValue('balanced');
  // The reference solution of content/exercises/accuracy-trap.yaml.
  await sandbox.getByLabel('Model').selectOption('logistic');
  await sandbox.getByLabel('Learning rate').fill('0.05');
  await sandbox.getByLabel('Learning rate').press('Tab');
  await sandbox.getByLabel('Epochs').fill('1');
  await sandbox.getByLabel('Epochs').press('Tab');
  await sandbox.getByLabel('Class weighting').selectOption('none');
  await sandbox.getByRole('button', { name: 'Train' }).click();
  expect(await waitForRunEnd(sandbox)).toBe('done');
  // Every check turned green live, before submitting.
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await expect(exercise.locator('[data-check-passed="true"]')).toHaveCount(5);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');
  await expect(exercise.getByRole('status').last()).toContainText('Solved');
  return exercise;
}

test('an exercise checks itself live, records a solve, and still shows it after a reload', async ({
  page,
}) => {
  await solveAccuracyTrap(page);
  await page.reload();
  const exercise = await waitForExercise(page, 'accuracy-trap');
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');

  await page.goto('/progress/');
  const lesson2 = page.locator('[data-lesson-slug="02-ml-vs-business-metrics"]');
  await expect(lesson2).toHaveAttribute('data-lesson-status', 'in-progress');
  await expect(lesson2).toContainText('1 of 3');
});

test('a failing submission is recorded as failed, and hints come one at a time', async ({
  page,
}) => {
  await page.goto(`${LESSON_2}?backend=wasm&epochs=1`);
  const sandbox = await waitUntilReady(page);
  const exercise = await waitForExercise(page, 'logistic-auc');
  await expect(exercise.getByRole('button', { name: 'Submit' })).toBeDisabled();
  await exercise.getByRole('button', { name: 'Show a hint' }).click();
  await expect(exercise.getByText('Hint 1.')).toBeVisible();
  await expect(exercise.getByText('Hint 2.')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Show another hint' }).click();
  await expect(exercise.getByText('Hint 2.')).toBeVisible();
  // The default MLP is not a logistic regression, so the check on the model fails.
  await sandbox.getByRole('button', { name: 'Train' }).click();
  await waitForRunEnd(sandbox);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'failed');
  const stored = await page.evaluate(() =>
    JSON.parse(localStorage.getItem('mlsdl.progress') ?? '{}'),
  );
  expect(stored.exercises['logistic-auc']).toMatchObject({ solved: false, hintsUsed: 2 });
  expect(stored.exercises['logistic-auc'].attempts).toHaveLength(1);
});

test('a code gives the student their own variant', async ({ page }) => {
  await page.goto(LESSON_2);
  const sandbox = await waitUntilReady(page);
  const exercise = await waitForExercise(page, 'recall-under-fpr');
  const variantLine = exercise.locator('[data-variant]');
  await expect(variantLine).toContainText('The default variant');
  await expect(variantLine).toContainText('Data seed: 42');
  await exercise.getByLabel('Your name or class code (optional)').fill('Alice Example');
  await exercise.getByRole('button', { name: 'Use this code' }).click();
  await expect(variantLine).toContainText('Your variant for “alice example”');
  const seed = /Data seed: (\d+)/.exec((await variantLine.textContent()) ?? '')?.[1];
  expect(seed).toBeDefined();
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await expect(sandbox.getByLabel('Seed')).toHaveValue(seed!);
  // The code is remembered across pages of the course.
  await page.reload();
  await waitForExercise(page, 'recall-under-fpr');
  await expect(exercise.locator('[data-variant]')).toContainText('“alice example”');
});

test('progress exported from one browser imports into another', async ({ page, browser }) => {
  await solveAccuracyTrap(page);
  await page.goto('/progress/');
  await expect(page.locator('[data-progress-page]')).toHaveAttribute(
    'data-progress-loaded',
    'true',
  );
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export progress' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(
    /^ml-systems-design-lab-progress-\d{4}-\d{2}-\d{2}\.json$/,
  );
  const exported = await download.path();

  const other = await browser.newContext();
  try {
    const fresh = await other.newPage();
    await fresh.goto('/progress/');
    await expect(fresh.locator('[data-progress-page]')).toHaveAttribute(
      'data-progress-loaded',
      'true',
    );
    // A foreign file is refused and changes nothing.
    await fresh.locator('#progress-import-file').setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"hello":"world"}'),
    });
    await expect(fresh.locator('[data-progress-import-refused]')).toBeVisible();
    expect(await fresh.evaluate(() => localStorage.getItem('mlsdl.progress'))).toBeNull();

    await fresh.locator('#progress-import-file').setInputFiles(exported);
    await expect(fresh.locator('[data-progress-transfer]')).toContainText(/Added/);
    await fresh.goto(LESSON_2);
    const exercise = await waitForExercise(fresh, 'accuracy-trap');
    await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');
  } finally {
    await other.close();
  }
});

test('unreadable saved progress is kept aside, the learner is told, and nothing crashes', async ({
  page,
}) => {
  // The home page holds no progress store, so nothing reads the value before the reload.
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('mlsdl.progress', '{"version":2,"lessons":[oops'));
  await page.goto(LESSON_2);
  await waitForExercise(page, 'accuracy-trap');
  const alert = page.getByRole('alert').filter({ hasText: 'could not be read' });
  await expect(alert).toBeVisible();
  const keys = await page.evaluate(() => Object.keys(localStorage));
  const quarantine = keys.find((key) => key.startsWith('mlsdl.progress.quarantine.'));
  expect(quarantine).toBeDefined();
  expect(await page.evaluate((key) => localStorage.getItem(key), quarantine!)).toBe(
    '{"version":2,"lessons":[oops',
  );
  // The page still works: the sandbox trains.
  const sandbox = await waitUntilReady(page);
  await sandbox.getByRole('button', { name: 'Train' }).click();
  expect(await waitForRunEnd(sandbox)).toBe('done');
});

test('two open tabs do not overwrite each other’s progress', async ({ page, context }) => {
  const progressTab = await context.newPage();
  await progressTab.goto('/progress/');
  await expect(progressTab.locator('[data-progress-page]')).toHaveAttribute(
    'data-progress-loaded',
    'true',
  );

  await solveAccuracyTrap(page);
  // The other tab hears of it without a reload.
  const lesson2 = progressTab.locator('[data-lesson-slug="02-ml-vs-business-metrics"]');
  await expect(lesson2).toContainText('1 of 3');

  // A second lesson tab records a hint on another exercise while the first tab is still open.
  const secondLessonTab = await context.newPage();
  await secondLessonTab.goto(LESSON_2);
  const other = await waitForExercise(secondLessonTab, 'recall-under-fpr');
  await other.getByRole('button', { name: 'Show a hint' }).click();
  await expect(other.getByText('Hint 1.')).toBeVisible();
  // The first tab now writes again (a hint on a third exercise), from its older view.
  const third = await waitForExercise(page, 'logistic-auc');
  await third.getByRole('button', { name: 'Show a hint' }).click();

  await expect
    .poll(async () => {
      const stored = await progressTab.evaluate(() =>
        JSON.parse(localStorage.getItem('mlsdl.progress') ?? '{}'),
      );
      return {
        solved: stored.exercises?.['accuracy-trap']?.solved,
        recallHints: stored.exercises?.['recall-under-fpr']?.hintsUsed,
        aucHints: stored.exercises?.['logistic-auc']?.hintsUsed,
      };
    })
    .toEqual({ solved: true, recallHints: 1, aucHints: 1 });
});

test('a receipt verifies by replay in the browser, and a tampered one does not', async ({
  page,
}) => {
  await solveAccuracyTrap(page);
  await page.goto('/progress/');
  await page.locator('[data-receipts]').scrollIntoViewIfNeeded();
  const receipt = page.locator('[data-receipt="accuracy-trap"]').first();
  await receipt.scrollIntoViewIfNeeded();
  await receipt.getByRole('button', { name: 'Verify by replay' }).click();
  await expect(receipt.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'ok', {
    timeout: 60_000,
  });
  await expect(receipt.locator('[data-verdict]')).toContainText('Verified: replayed on wasm');

  // Change the stored receipt's results by hand, as a student faking a pass might (from a page
  // that holds no progress store, so nothing merges the original back in).
  await page.goto('/');
  await page.evaluate(() => {
    const progress = JSON.parse(localStorage.getItem('mlsdl.progress') ?? '{}');
    for (const stored of Object.values(progress.receipts) as {
      results: Record<string, number>;
    }[]) {
      // Far outside the replay's tolerance, and no check reads it, so only the replay can tell.
      stored.results['validation.logLoss'] = 3;
    }
    localStorage.setItem('mlsdl.progress', JSON.stringify(progress));
  });
  await page.goto('/progress/');
  await page.locator('[data-receipts]').scrollIntoViewIfNeeded();
  const tampered = page.locator('[data-receipt="accuracy-trap"]').first();
  await tampered.scrollIntoViewIfNeeded();
  await tampered.getByRole('button', { name: 'Verify by replay' }).click();
  await expect(tampered.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'bad', {
    timeout: 60_000,
  });
  await expect(tampered.locator('[data-verdict]')).toContainText('Not verified');
  await expect(tampered.locator('[data-verdict]')).toContainText('validation.logLoss');
});
