import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, readResult, test, waitForExercise } from './fixtures';

const LESSON_8 = '/lessons/08-maintainability/';

async function openSandbox(page: Page): Promise<Locator> {
  await page.goto(LESSON_8);
  const sandbox = page.locator('[data-sandbox="pipeline-bisect"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  return sandbox;
}

async function run(sandbox: Locator): Promise<Record<string, unknown>> {
  await sandbox.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  return readResult(sandbox);
}

test('lesson 8: the sandbox trains combinations, keeps a table of runs, and locks unversioned parts', async ({
  page,
}) => {
  const sandbox = await openSandbox(page);
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  await expect(sandbox.locator('[data-tried] tbody')).toContainText('No runs yet.');

  // Seed 1's mystery case: this month's pipeline scores 0.846 against last month's 0.878.
  const first = await run(sandbox);
  expect(first['run.rocAuc']).toBe(0.846);
  expect(first['lastMonth.rocAuc']).toBe(0.878);
  expect(first['changes.kept']).toBe(4);
  await expect(sandbox.locator('[data-results]')).toContainText('0.846');

  // Setting back the config repairs it (the deleted learning rate meets numlib 2.0's default).
  await sandbox.getByLabel('Training config', { exact: true }).selectOption('old');
  const second = await run(sandbox);
  expect(second['run.rocAuc']).toBe(0.881);
  expect(second['setup.learningRate']).toBe(0.05);
  await expect(sandbox.locator('[data-tried] tbody tr')).toHaveCount(2);

  // An unversioned library: last month's version cannot be chosen any more.
  await sandbox.getByLabel('Numeric library versioned').selectOption('no');
  await expect(
    sandbox.getByLabel('Numeric library', { exact: true }).locator('option[value="old"]'),
  ).toBeDisabled();
  await expect(sandbox).toContainText('Not versioned');
  await sandbox.getByRole('button', { name: 'Set all to last month' }).click();
  await expect(sandbox.getByLabel('Numeric library', { exact: true })).toHaveValue('new');
  await expect(sandbox.getByLabel('Training data', { exact: true })).toHaveValue('old');

  const { violations } = await new AxeBuilder({ page })
    .include('[data-sandbox="pipeline-bisect"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(violations.map((v) => v.id)).toEqual([]);

  await sandbox.getByRole('button', { name: 'Reset' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  await expect(sandbox.locator('[data-tried] tbody')).toContainText('No runs yet.');
  await expect(sandbox.getByLabel('Numeric library versioned')).toHaveValue('yes');
});

test('lesson 8: the sandbox works by keyboard', async ({ page }) => {
  const sandbox = await openSandbox(page);
  const feature = sandbox.getByLabel('Feature code', { exact: true });
  await feature.focus();
  await page.keyboard.press('ArrowUp');
  await expect(feature).toHaveValue('old');
  // From the last versioned select, Tab reaches Run; Enter runs.
  await sandbox.getByLabel('Numeric library versioned').focus();
  await page.keyboard.press('Tab');
  await expect(sandbox.getByRole('button', { name: 'Run', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  expect((await readResult(sandbox))['input.features']).toBe('old');
});

test('lesson 8: an exercise is solved by bisecting in the sandbox', async ({ page }) => {
  const sandbox = await openSandbox(page);
  const exercise = await waitForExercise(page, 'bisect-the-retrain');
  await expect(exercise).toHaveAttribute('data-exercise-status', 'open');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await expect(sandbox.getByLabel('Case')).toHaveValue('1');

  const aucCheck = exercise.locator('li', { hasText: 'The ROC AUC is at most 0.015 below' });
  await run(sandbox);
  await expect(aucCheck).toHaveAttribute('data-check-passed', 'false');

  // Setting back the library does nothing: not the culprit.
  await sandbox.getByLabel('Numeric library', { exact: true }).selectOption('old');
  expect((await run(sandbox))['run.rocAuc']).toBe(0.46);
  await expect(aucCheck).toHaveAttribute('data-check-passed', 'false');

  // The feature code is.
  await sandbox.getByLabel('Numeric library', { exact: true }).selectOption('new');
  await sandbox.getByLabel('Feature code', { exact: true }).selectOption('old');
  expect((await run(sandbox))['run.rocAuc']).toBe(0.881);
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');
});
