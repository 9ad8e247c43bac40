import { expect, readResult, test, waitForExercise } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const LESSON_6 = '/lessons/06-reliability/';

async function openSandbox(page: Page): Promise<Locator> {
  await page.goto(LESSON_6);
  const sandbox = page.locator('[data-sandbox="drift-monitor"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  return sandbox;
}

async function run(sandbox: Locator): Promise<Record<string, unknown>> {
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  return readResult(sandbox);
}

test('the drift sandbox serves every payment, raises no error, and shows who caught the bug', async ({
  page,
}) => {
  const sandbox = await openSandbox(page);
  expect(await readResult(sandbox)).toEqual({});
  const result = await run(sandbox);
  // The default: amounts in cents from day 10, 30 days of 2,000 payments.
  expect(result['run.requests']).toBe(60_000);
  expect(result['run.unansweredRequests']).toBe(0);
  expect(result['fault1.kind']).toBe('cents-for-dollars');
  expect(result['fault1.detectedDay']).toBe(10);
  expect(result['fault1.family.feature.daysToDetect']).toBe(0);
  expect(String(result['fault1.detectedBy'])).toContain('feature');
  expect(result['family.feature.falseAlarmDays']).toBe(0);
  expect(result['fault1.moneyLostUsd'] as number).toBeGreaterThan(0);
  // The progress bar reached the end, and the headline says what happened.
  const progress = sandbox.locator('progress');
  await expect(progress).toHaveAttribute('max', '30');
  await expect(progress).toHaveAttribute('value', '30');
  await expect(
    sandbox.getByText(/No error was thrown and all 60,000 payments got an answer/),
  ).toBeVisible();
  // The day in detail opens on the day it was caught, with the amount column drifted.
  await expect(sandbox.getByLabel('Day to inspect')).toHaveValue('10');
  const amountRow = sandbox.getByRole('row', { name: /^log1pAmountUsd/ });
  await expect(amountRow.getByRole('cell').last()).toHaveText('yes');
  const hourRow = sandbox.getByRole('row', { name: /^hourSin/ });
  await expect(hourRow.getByRole('cell').last()).toHaveText('no');
  // The chart has a day-by-day table alternative.
  await sandbox.getByText('Day-by-day table').click();
  await expect(sandbox.getByRole('row', { name: /^10\b/ })).toContainText('ALERT');
});

test('each fault is caught by the monitor meant for it, within the expected days', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const sandbox = await openSandbox(page);
  await sandbox.getByLabel('Seed').fill('4');
  // Meant family (FAULT_KIND_INFO) and the latest day after the start it may fire: the rows
  // the same day; the labels after the 3-day delay; pooled labels after up to 7 more days.
  const cases: [string, string, number, string?][] = [
    ['covariate-shift', 'feature', 0],
    ['label-shift', 'label', 3],
    ['concept-drift', 'performance', 10],
    ['seasonality', 'feature', 0],
    ['cents-for-dollars', 'feature', 0],
    ['missing-as-zero', 'feature', 0],
    ['swapped-columns', 'feature', 0],
    ['stale-feature', 'performance', 10, 'log1pDistanceFromHomeKm'],
  ];
  for (const [kind, family, latest, column] of cases) {
    await sandbox.getByLabel('Fault 1: what goes wrong').selectOption(kind);
    if (column) await sandbox.getByLabel('Fault 1: column').selectOption(column);
    const result = await run(sandbox);
    expect(result['input.fault1Kind']).toBe(kind);
    expect(result['fault1.meantFor']).toBe(family === 'performance' ? 'performance' : family);
    const days = result[`fault1.family.${family}.daysToDetect`];
    expect(days, `${kind}: ${family}`).not.toBeNull();
    expect(days as number, kind).toBeLessThanOrEqual(latest);
    expect(result['run.unansweredRequests']).toBe(0);
  }
});

test('a pipeline bug raises no console error, yet moves the monitors and the money', async ({
  page,
}) => {
  const sandbox = await openSandbox(page);
  await sandbox.getByLabel('Fault 1: what goes wrong').selectOption('none');
  const clean = await run(sandbox);
  expect(clean['run.alertDays']).toBe(0);
  await sandbox.getByLabel('Fault 1: what goes wrong').selectOption('swapped-columns');
  const bugged = await run(sandbox);
  // The guard fixture fails the test on any console error or uncaught exception.
  expect(bugged['run.unansweredRequests']).toBe(0);
  expect(bugged['family.feature.firstAlertDay']).toBe(10);
  expect(bugged['family.prediction.firstAlertDay']).toBe(10);
  expect(bugged['run.lostVsOracleUsd'] as number).toBeGreaterThan(
    1.5 * (clean['run.lostVsOracleUsd'] as number),
  );
  await expect(sandbox.getByRole('alert')).toHaveCount(0);
});

test('the drift sandbox works from the keyboard alone', async ({ page }) => {
  const sandbox = await openSandbox(page);
  const kind = sandbox.getByLabel('Fault 1: what goes wrong');
  await kind.focus();
  // cents-for-dollars → missing-as-zero
  await page.keyboard.press('ArrowDown');
  await expect(kind).toHaveValue('missing-as-zero');
  await page.keyboard.press('Tab');
  const day = sandbox.getByLabel('Fault 1: first day');
  await expect(day).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('12');
  await page.keyboard.press('Enter');
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const result = await readResult(sandbox);
  expect(result['input.fault1Kind']).toBe('missing-as-zero');
  expect(result['input.fault1Day']).toBe(12);
  expect(result['fault1.detectedDay']).toBe(12);

  await sandbox.getByRole('button', { name: 'Run' }).focus();
  await page.keyboard.press('Tab');
  await expect(sandbox.getByRole('button', { name: 'Reset' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  await expect(kind).toHaveValue('cents-for-dollars');
});

test('lesson 6: the cents exercise is solved through the sandbox', async ({ page }) => {
  const sandbox = await openSandbox(page);
  const exercise = await waitForExercise(page, 'cents-bug-which-monitor');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await expect(sandbox.getByLabel('Feature drift alerts when')).toHaveValue('dataset');
  await expect(sandbox.getByLabel('Feature drift method')).toHaveValue('ks');
  const start = await run(sandbox);
  expect(start['fault1.family.feature.daysToDetect']).toBeNull();
  await expect(exercise.locator('[data-check-passed="false"]').first()).toBeVisible();

  // Any column, KS at 0.05: caught, but the clean days alarm too.
  await sandbox.getByLabel('Feature drift alerts when').selectOption('column');
  const noisy = await run(sandbox);
  expect(noisy['fault1.family.feature.daysToDetect']).toBe(0);
  expect(noisy['family.feature.falseAlarmDays'] as number).toBeGreaterThan(0);

  await sandbox.getByLabel('Feature drift method').selectOption('evidently');
  const solved = await run(sandbox);
  expect(solved['family.feature.falseAlarmDays']).toBe(0);
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');
});

test('the drift sandbox can deploy an MLP trained with TensorFlow.js, and says where', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const sandbox = await openSandbox(page);
  const logistic = await run(sandbox);
  expect(logistic['model.kind']).toBeUndefined();
  await expect(sandbox.locator('.model-info')).toContainText('Logistic regression');
  await sandbox.getByLabel('Deployed model').selectOption('mlp');
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const result = await readResult(sandbox);
  expect(result['model.kind']).toBe('mlp');
  // The worker tries WASM first and falls back to the CPU backend.
  expect(['wasm', 'cpu']).toContain(result['model.backend']);
  expect(result['model.trainingMs'] as number).toBeGreaterThan(0);
  expect(result['run.requests']).toBe(60_000);
  expect(result['run.unansweredRequests']).toBe(0);
  // Unit-tested (test/unit/drift-lab-mlp.test.ts): the network leans on the amount, so the
  // cents bug costs it money, and it is a different model with its own threshold and money.
  expect(result['run.netSavingsUsd']).not.toBe(logistic['run.netSavingsUsd']);
  await expect(sandbox.locator('.model-info')).toContainText(
    `trained on the ${String(result['model.backend'])} backend`,
  );
  // Back to the logistic regression: the same numbers as the first run.
  await sandbox.getByLabel('Deployed model').selectOption('logistic');
  expect(await run(sandbox)).toEqual(logistic);
});
