import { expect, readResult, test, waitForExercise } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const LESSON_9 = '/lessons/09-adaptability/';

async function openSandbox(page: Page): Promise<Locator> {
  await page.goto(LESSON_9);
  const sandbox = page.locator('[data-sandbox="rollout"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  return sandbox;
}

async function runAndWait(sandbox: Locator): Promise<Record<string, unknown>> {
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  return readResult(sandbox);
}

test('a broken retrain is rolled back from its canary, and no request goes unanswered', async ({
  page,
}) => {
  const sandbox = await openSandbox(page);
  expect(await readResult(sandbox)).toEqual({});

  await sandbox.getByLabel('Days to simulate').fill('30');
  await sandbox.getByLabel('Payments per day').fill('1000');
  await sandbox.getByLabel('Fault to inject').selectOption('none');
  await sandbox.getByLabel('When to retrain').selectOption('schedule');
  await sandbox.getByLabel('Schedule: every N days').fill('8');
  await sandbox.getByLabel('Bug in the retraining job').selectOption('swapped-columns');
  await sandbox.getByLabel('Shadow days (0 = skip)').fill('0');
  await sandbox.getByLabel('Canary share of requests (%; 0 = skip)').fill('20');
  await sandbox.getByLabel('…or the false-positive rate is higher by more than (points)').fill('2');

  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'running');
  await expect(sandbox.getByRole('status')).toContainText('Simulating');
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const result = await readResult(sandbox);

  // 30 days × 1,000 payments, every one answered by exactly one model.
  expect(result['requests.total']).toBe(30_000);
  expect(result['requests.unanswered']).toBe(0);
  expect(
    (result['requests.byCurrent'] as number) + (result['requests.byCandidate'] as number),
  ).toBe(30_000);
  // The canaries answered some real requests, then were rolled back; none reached full traffic.
  expect(result['phases.canaries'] as number).toBeGreaterThan(0);
  expect(result['phases.rollbacks'] as number).toBeGreaterThan(0);
  expect(result['phases.fulls']).toBe(0);
  expect(result['requests.byRolledBackCandidates'] as number).toBeGreaterThan(0);
  // (The last canary may still be running when the run ends.)
  expect(result['requests.byRolledBackCandidates'] as number).toBeLessThanOrEqual(
    result['requests.byCandidate'] as number,
  );
  expect(result['final.modelId']).toBe('m0');

  // The page says the same: the unanswered count, the rollback and its reason.
  await expect(sandbox.locator('[data-unanswered]')).toHaveAttribute('data-unanswered', '0');
  const steps = sandbox.getByRole('list', { name: 'Rollout steps' });
  await expect(steps.locator('li.rollback').first()).toContainText('false-positive rate');
  await expect(sandbox.locator('progress')).toHaveAttribute('value', '60');
  // Each chart has a table: the requests table lists the 30 days.
  await sandbox.getByText('Requests per model as a table').click();
  await expect(
    sandbox.getByRole('region', { name: 'Requests per model (scrolls)' }).locator('tbody tr'),
  ).toHaveCount(30);

  // An impossible input is refused in words; Reset clears the result.
  await sandbox.getByLabel('Days to simulate').fill('5');
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'error');
  await expect(sandbox.getByRole('alert')).toContainText('days');
  await sandbox.getByRole('button', { name: 'Reset' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  expect(await readResult(sandbox)).toEqual({});
  await expect(sandbox.getByLabel('Days to simulate')).toHaveValue('60');
});

test('the rollout sandbox works from the keyboard alone', async ({ page }) => {
  const sandbox = await openSandbox(page);
  const days = sandbox.getByLabel('Days to simulate');
  await days.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('24');
  // Tab through the stream's fields to the fault, and pick another one with the arrow keys.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  const fault = sandbox.getByLabel('Fault to inject');
  await expect(fault).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(fault).toHaveValue('label-shift');
  // Choosing a kind resets the strength to that kind's own default (3× the fraud).
  await expect(sandbox.getByLabel('Its strength')).toHaveValue('3');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('10');
  await page.keyboard.press('Enter');
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const result = await readResult(sandbox);
  expect(result['input.days']).toBe(24);
  expect(result['input.faultKind']).toBe('label-shift');
  expect(result['input.faultDay']).toBe(10);
  expect(result['fault.startDay']).toBe(10);
  expect(result['requests.unanswered']).toBe(0);

  // On to Run and Reset: past the strength and the ten policy fields.
  await sandbox.getByLabel('…or the false-positive rate is higher by more than (points)').focus();
  await page.keyboard.press('Tab');
  await expect(sandbox.getByRole('button', { name: 'Run' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(sandbox.getByRole('button', { name: 'Reset' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  await expect(fault).toHaveValue('concept-drift');
});

test('lesson 9: the catch-a-bad-retrain exercise is solved through the sandbox', async ({
  page,
}) => {
  const sandbox = await openSandbox(page);
  const exercise = await waitForExercise(page, 'catch-a-bad-retrain');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await expect(sandbox.getByLabel('Bug in the retraining job')).toHaveValue('swapped-columns');
  await expect(sandbox.getByLabel('Canary share of requests (%; 0 = skip)')).toHaveValue('0');
  const start = await runAndWait(sandbox);
  // Straight to full traffic: each broken model reaches everyone.
  expect(start['phases.fulls'] as number).toBeGreaterThan(0);
  await expect(
    exercise.locator('li', { hasText: 'No new model ever reaches full traffic' }),
  ).toHaveAttribute('data-check-passed', 'false');
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'failed');

  // Judge each new model in shadow first, behind a tight false-positive guardrail.
  await sandbox.getByLabel('Shadow days (0 = skip)').fill('3');
  await sandbox.getByLabel('Canary share of requests (%; 0 = skip)').fill('10');
  await sandbox
    .getByLabel('Roll back if net savings per request trail by more than ($)')
    .fill('0.5');
  await sandbox.getByLabel('…or the false-positive rate is higher by more than (points)').fill('2');
  const solved = await runAndWait(sandbox);
  expect(solved['phases.fulls']).toBe(0);
  expect(solved['requests.byRolledBackCandidates']).toBe(0);
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');
});
