import { expect, readResult, test, waitForExercise } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const LESSON_7 = '/lessons/07-scalability/';

async function openLab(page: Page): Promise<Locator> {
  await page.goto(LESSON_7);
  const sandbox = page.locator('[data-sandbox="scaling"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  // The analytic days are computed in the worker as soon as the lab hydrates.
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  return sandbox;
}

const configA = (sandbox: Locator) => sandbox.getByRole('group', { name: 'Configuration A' });
const configB = (sandbox: Locator) => sandbox.getByRole('group', { name: 'Configuration B' });

/** Waits until data-result shows `path` equal to `value` and returns the result. */
async function resultWith(
  sandbox: Locator,
  path: string,
  value: unknown,
): Promise<Record<string, unknown>> {
  await expect.poll(async () => (await readResult(sandbox))[path]).toEqual(value);
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  return readResult(sandbox);
}

test('the scaling lab compares a fixed fleet of 100 GPUs with the autoscaler, analytically', async ({
  page,
}) => {
  const sandbox = await openLab(page);
  const start = await readResult(sandbox);
  expect(start['mode']).toBe('analytic');
  // The chapter's case (scenarios.ts): 100 GPUs × 24 h × $1 = $2,400 and no breach; the HPA
  // costs about a sixth of that and breaks the SLO for a few minutes while replicas start.
  expect(start['a.costUsdPerDay']).toBe(2400);
  expect(start['a.gpuHours']).toBe(2400);
  expect(start['a.sloBreachMinutes']).toBe(0);
  expect(start['b.costUsdPerDay'] as number).toBeLessThan(600);
  expect(start['b.sloBreachMinutes'] as number).toBeGreaterThan(0);
  expect(start['b.peakReplicas']).toBe(100);
  expect(start['compare.cheaper']).toBe('b');
  // The comparison table shows the same numbers.
  await expect(sandbox.locator('tr[data-key="costUsdPerDay"]')).toContainText('$2,400.00');
  await expect(sandbox.locator('tr[data-key="sloBreachMinutes"] td').nth(1)).toHaveText(
    String(start['b.sloBreachMinutes']),
  );
  // Both charts are drawn, with a text alternative.
  await expect(
    sandbox.getByRole('img', { name: /Requests per second through the day/ }),
  ).toBeVisible();
  await expect(
    sandbox.getByRole('img', { name: /p99 response time of every minute/ }),
  ).toBeVisible();
  await sandbox.getByText('The day hour by hour (the charts as a table)').click();
  await expect(sandbox.locator('details.hourly tbody tr')).toHaveCount(24);

  // More headroom for the cold start: at 45% target the autoscaler never breaks the SLO.
  await configB(sandbox).getByLabel('Target utilisation (%)').fill('45');
  const headroom = await resultWith(sandbox, 'input.bTargetUtilisationPercent', 45);
  expect(headroom['b.sloBreachMinutes']).toBe(0);
  expect(headroom['b.costUsdPerDay'] as number).toBeGreaterThan(start['b.costUsdPerDay'] as number);

  // The 16 GB network does not fit a 4 GB machine: nothing is served, everything is dropped.
  await configA(sandbox).getByLabel('Replica type').selectOption('cpu-small');
  const unfit = await resultWith(sandbox, 'input.aReplicaType', 'cpu-small');
  expect(unfit['a.fitsMemory']).toBe(false);
  expect(unfit['a.servedRequests']).toBe(0);
  expect(unfit['a.droppedRequests']).toBe(unfit['traffic.requests']);
  expect(unfit['a.latencyP99Ms']).toBeNull();
  await expect(configA(sandbox)).toContainText('It cannot load');

  // An impossible input is refused with a message, and nothing crashes.
  await sandbox.getByLabel('Requests per day (type a value)').fill('500');
  await expect(sandbox).toHaveAttribute('data-status', 'error');
  await expect(sandbox.getByRole('alert')).toContainText('requestsPerDay');

  await sandbox.getByRole('button', { name: 'Reset' }).click();
  const reset = await resultWith(sandbox, 'input.requestsPerDay', 6_500_000);
  expect(reset).toEqual(start);
  await expect(sandbox.getByRole('alert')).toHaveCount(0);
});

test('the request-level mode simulates every request in the worker and agrees with the analytic day', async ({
  page,
}) => {
  const sandbox = await openLab(page);
  const analytic = await readResult(sandbox);
  await sandbox.getByLabel(/Request by request: simulate/).check();
  await expect(sandbox.getByRole('status')).toContainText('Press Run');

  // Watch the main thread while the worker simulates ~9.7 million requests.
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[] };
    w.__frames = [];
    const tick = (t: number) => {
      w.__frames.push(t);
      if (w.__frames.length < 100_000) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'running');
  const progress = sandbox.getByRole('progressbar', { name: 'Simulation progress' });
  await expect(progress).toBeVisible();
  await expect(sandbox.getByRole('status')).toContainText(/arrivals|Simulating/);
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(progress).toHaveCount(0);
  const simulated = await readResult(sandbox);
  expect(simulated['mode']).toBe('request-level');
  // The page kept drawing frames during the run (the worker, not the page, did the work).
  const maxGapMs = await page.evaluate(() => {
    const frames = (window as unknown as { __frames: number[] }).__frames;
    let gap = 0;
    for (let i = 1; i < frames.length; i++) gap = Math.max(gap, frames[i]! - frames[i - 1]!);
    return gap;
  });
  console.info(`request-level run: largest gap between animation frames ${maxGapMs.toFixed(0)} ms`);
  expect(maxGapMs).toBeLessThan(500);

  // A is a stable configuration (100 GPUs are never overloaded), where the analytic model
  // holds: the simulation must agree with it. Tolerances: requests within 1% (a Poisson count
  // of ~9.7 M has a standard deviation of 0.03%); cost exactly (a fixed fleet); the day's p50,
  // p95 and p99 within 2% (unit tests measure 0.2% on a similar day).
  const requests = simulated['requests'] as number;
  expect(Math.abs(requests / (analytic['traffic.requests'] as number) - 1)).toBeLessThan(0.01);
  expect(simulated['a.costUsdPerDay']).toBe(analytic['a.costUsdPerDay']);
  for (const key of ['a.latencyP50Ms', 'a.latencyP95Ms', 'a.latencyP99Ms']) {
    const ratio = (simulated[key] as number) / (analytic[key] as number);
    expect(ratio, key).toBeGreaterThan(0.98);
    expect(ratio, key).toBeLessThan(1.02);
  }
  // The autoscaler's cost agrees within 10% (its decisions see random minute-to-minute load).
  const costRatio =
    (simulated['b.costUsdPerDay'] as number) / (analytic['b.costUsdPerDay'] as number);
  expect(costRatio).toBeGreaterThan(0.9);
  expect(costRatio).toBeLessThan(1.1);
  await expect(sandbox.locator('[data-agreement]')).toContainText('request by request vs');

  // Changing a setting marks the simulation stale; the analytic state keeps up.
  await configA(sandbox).getByLabel('Replicas', { exact: true }).fill('90');
  await expect(sandbox.getByRole('status')).toContainText('press Run to update');

  // Stop abandons a run.
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'running');
  await sandbox.getByRole('button', { name: 'Stop' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  await expect(sandbox.getByRole('alert')).toContainText('stopped');
  // …and the lab still works afterwards, with a fresh worker.
  await sandbox.getByLabel(/Analytic: queueing formulas/).check();
  await configA(sandbox).getByLabel('Replicas', { exact: true }).fill('80');
  await resultWith(sandbox, 'input.aReplicas', 80);
});

test('every control of the scaling lab works from the keyboard', async ({ page }) => {
  const sandbox = await openLab(page);
  const focused = (locator: Locator) => expect(locator).toBeFocused();
  const typeInto = async (value: string) => {
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(value);
  };
  const tab = () => page.keyboard.press('Tab');
  const a = configA(sandbox);
  const b = configB(sandbox);

  // Traffic: the log slider moves by arrow keys, the typed value takes a number.
  const slider = sandbox.getByLabel('Requests per day (log scale)');
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await expect
    .poll(async () => (await readResult(sandbox))['input.requestsPerDay'] as number)
    .toBeLessThan(6_500_000);
  await tab();
  await focused(sandbox.getByLabel('Requests per day (type a value)'));
  await typeInto('1000000');
  await tab();
  await resultWith(sandbox, 'input.requestsPerDay', 1_000_000);
  await focused(sandbox.getByLabel('Day of the week'));
  await page.keyboard.press('ArrowDown');
  await resultWith(sandbox, 'input.day', 'tuesday');
  const numbers: [string, string, string, number][] = [
    ['Items scored per request', 'itemsPerRequest', '100', 100],
    ['SLO: p99 of every minute within (ms)', 'sloP99Ms', '400', 400],
    ['Minute-to-minute noise (%)', 'noisePercent', '3', 3],
    ['Seed', 'seed', '11', 11],
  ];
  for (const [label, input, typed, value] of numbers) {
    await tab();
    await focused(sandbox.getByLabel(label, { exact: true }));
    await typeInto(typed);
    await resultWith(sandbox, `input.${input}`, value);
  }
  await tab();
  const spike = sandbox.getByLabel('A traffic spike (a launch, a campaign)');
  await focused(spike);
  await page.keyboard.press('Space');
  await resultWith(sandbox, 'input.spike', 'off');
  await expect(sandbox.getByLabel('Spike size (× usual traffic)')).toHaveCount(0);
  await page.keyboard.press('Space');
  await resultWith(sandbox, 'input.spike', 'on');
  for (const [label, input, typed, value] of [
    ['Spike size (× usual traffic)', 'spikeMultiplier', '3', 3],
    ['Spike starts at hour', 'spikeStartHour', '12', 12],
    ['Spike lasts (minutes)', 'spikeDurationMinutes', '90', 90],
  ] as const) {
    await tab();
    await focused(sandbox.getByLabel(label));
    await typeInto(typed);
    await resultWith(sandbox, `input.${input}`, value);
  }

  // Configuration A: a fixed fleet first, then the autoscaler's fields.
  await tab();
  await focused(a.getByLabel('Fleet'));
  await tab();
  await focused(a.getByLabel('Replicas', { exact: true }));
  await typeInto('50');
  await resultWith(sandbox, 'input.aReplicas', 50);
  await page.keyboard.press('Shift+Tab');
  await focused(a.getByLabel('Fleet'));
  await page.keyboard.press('ArrowDown');
  await resultWith(sandbox, 'input.aFleet', 'hpa');
  for (const [label, input, typed, value] of [
    ['Min replicas', 'aMinReplicas', '2', 2],
    ['Max replicas', 'aMaxReplicas', '50', 50],
    ['Target utilisation (%)', 'aTargetUtilisationPercent', '50', 50],
    ['Tolerance (%)', 'aTolerancePercent', '5', 5],
    ['Scale-down window (s)', 'aScaleDownWindowS', '600', 600],
  ] as const) {
    await tab();
    await focused(a.getByLabel(label));
    await typeInto(typed);
    await resultWith(sandbox, `input.${input}`, value);
  }
  await tab();
  await focused(a.getByLabel('Replica type'));
  await page.keyboard.press('ArrowUp');
  await resultWith(sandbox, 'input.aReplicaType', 'cpu-large');
  await tab();
  await focused(a.getByLabel('Model'));
  await page.keyboard.press('ArrowUp');
  await resultWith(sandbox, 'input.aModel', 'mlp-10m');
  await tab();
  await focused(a.getByLabel('Score a request’s items in one batch'));
  await page.keyboard.press('Space');
  await resultWith(sandbox, 'input.aBatching', 'off');

  // Configuration B: the autoscaler's fields, then back to its fleet and a fixed count.
  await tab();
  await focused(b.getByLabel('Fleet'));
  for (const [label, input, typed, value] of [
    ['Min replicas', 'bMinReplicas', '3', 3],
    ['Max replicas', 'bMaxReplicas', '40', 40],
    ['Target utilisation (%)', 'bTargetUtilisationPercent', '70', 70],
    ['Tolerance (%)', 'bTolerancePercent', '20', 20],
    ['Scale-down window (s)', 'bScaleDownWindowS', '60', 60],
  ] as const) {
    await tab();
    await focused(b.getByLabel(label));
    await typeInto(typed);
    await resultWith(sandbox, `input.${input}`, value);
  }
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+Tab');
  await focused(b.getByLabel('Fleet'));
  await page.keyboard.press('ArrowUp');
  await resultWith(sandbox, 'input.bFleet', 'fixed');
  await tab();
  await focused(b.getByLabel('Replicas', { exact: true }));
  await typeInto('20');
  await resultWith(sandbox, 'input.bReplicas', 20);
  await tab();
  await focused(b.getByLabel('Replica type'));
  await page.keyboard.press('ArrowUp');
  await resultWith(sandbox, 'input.bReplicaType', 'cpu-large');
  await tab();
  await focused(b.getByLabel('Model'));
  await page.keyboard.press('ArrowUp');
  await resultWith(sandbox, 'input.bModel', 'mlp-10m');
  await tab();
  await focused(b.getByLabel('Score a request’s items in one batch'));
  await page.keyboard.press('Space');
  await resultWith(sandbox, 'input.bBatching', 'off');

  // The mode: arrow keys move between the two radios; the queue limit appears.
  await tab();
  await focused(sandbox.getByLabel(/Analytic: queueing formulas/));
  await page.keyboard.press('ArrowDown');
  await expect(sandbox.getByLabel(/Request by request: simulate/)).toBeChecked();
  await tab();
  await focused(sandbox.getByLabel(/Queue limit in requests/));
  await typeInto('100000');

  // Run (Enter) simulates a million requests; Reset (Space) brings back the defaults.
  await tab();
  await focused(sandbox.getByRole('button', { name: 'Run' }));
  await page.keyboard.press('Enter');
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect.poll(async () => (await readResult(sandbox))['mode']).toBe('request-level');
  const simulated = await readResult(sandbox);
  expect(simulated['input.aFleet']).toBe('hpa');
  expect(simulated['input.bReplicas']).toBe(20);
  expect(simulated['requests'] as number).toBeGreaterThan(900_000);

  // Stop is a button like the others: start a long run and stop it from the keyboard.
  await sandbox.getByLabel('Requests per day (type a value)').fill('10000000');
  // data-result still shows the request-level run, now marked stale.
  await expect(sandbox.getByRole('status')).toContainText('press Run to update');
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  await sandbox.getByRole('button', { name: 'Run' }).focus();
  await page.keyboard.press('Enter');
  const stop = sandbox.getByRole('button', { name: 'Stop' });
  await stop.focus();
  await page.keyboard.press('Enter');
  await expect(sandbox.getByRole('alert')).toContainText('stopped');

  await sandbox.getByRole('button', { name: 'Reset' }).focus();
  await page.keyboard.press('Space');
  const reset = await resultWith(sandbox, 'input.requestsPerDay', 6_500_000);
  expect(reset['mode']).toBe('analytic');
  expect(reset['input.bFleet']).toBe('hpa');
  await expect(sandbox.getByLabel(/Analytic: queueing formulas/)).toBeChecked();
});

test('lesson 7: the launch-day exercise is solved through the scaling lab', async ({ page }) => {
  const sandbox = await openLab(page);
  const exercise = await waitForExercise(page, 'launch-peak-autoscaler');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  await expect(sandbox.getByLabel('Spike size (× usual traffic)')).toHaveValue('6.5');
  await resultWith(sandbox, 'input.spikeMultiplier', 6.5);
  // As loaded, the autoscaler at 60% breaks the objective while new GPUs start.
  const noBreach = exercise.locator('li', { hasText: 'keeps its p99 within the objective' });
  await expect(noBreach).toHaveAttribute('data-check-passed', 'false');
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'failed');

  // Headroom for the cold start: 45% target.
  const target = configB(sandbox).getByLabel('Target utilisation (%)');
  await target.fill('45');
  await target.press('Tab');
  await resultWith(sandbox, 'input.bTargetUtilisationPercent', 45);
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');
});
