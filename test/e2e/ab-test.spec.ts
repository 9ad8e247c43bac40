import { expect, readResult, test } from './fixtures';
import type { Locator } from '@playwright/test';

const LESSON_4 = '/lessons/04-ab-tests/';

type Result = {
  inputs: Record<string, unknown> | null;
  plan: { usersPerArmNeeded: number; powerOfChosenSize: number } | null;
  test: Record<string, number | string | boolean | null> | null;
  stale: boolean;
  peeking: {
    looks: number;
    method: string;
    alpha: number;
    falsePositiveRate: number;
    standardError: number;
    simulations: number;
  } | null;
  peekingCurve: boolean;
};

async function result(sandbox: Locator): Promise<Result> {
  return (await readResult(sandbox)) as unknown as Result;
}

async function setNumber(sandbox: Locator, label: string, value: string): Promise<void> {
  const input = sandbox.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.press('Tab');
}

test('the A/B sandbox runs a test, plans its size and decides', async ({ page }) => {
  await page.goto(LESSON_4);
  const sandbox = page.locator('[data-sandbox="ab-test"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  const start = await result(sandbox);
  expect(start.test).toBeNull();
  // The default plan: 10% → 12% at α 0.05 and 80% power needs 3,841 users per arm.
  expect(start.plan?.usersPerArmNeeded).toBe(3_841);

  const run = sandbox.getByRole('button', { name: 'Run', exact: true });
  await run.click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const first = await result(sandbox);
  const state = first.test!;
  expect((state['arms.a.users'] as number) + (state['arms.b.users'] as number)).toBe(4_000);
  expect(state['input.modelB']).toBe('retrained');
  expect(['ship-b', 'keep-a']).toContain(state['decision']);
  expect(state['offline.prefers']).toBe('b');

  // The session-aware model at a size with ~100% power: B ships.
  await sandbox.getByLabel('Model B (treatment)').selectOption('session-aware');
  await setNumber(sandbox, 'Users per arm', '100000');
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  expect((await result(sandbox)).stale).toBe(true);
  await run.click();
  await expect(sandbox).toHaveAttribute('data-status', 'done');
  const shipped = (await result(sandbox)).test!;
  expect(shipped['decision']).toBe('ship-b');
  expect(shipped['kpi.significant']).toBe(true);
  expect(shipped['kpi.difference'] as number).toBeGreaterThan(0.005);
  const decision = sandbox.locator('[data-value="decision"]');
  await expect(decision).toContainText('Ship B');
  // The results' own styles reached the page (Astro ships only CSS of components it rendered).
  expect(await decision.evaluate((e) => getComputedStyle(e).borderInlineStartWidth)).toBe('4px');

  // The offline-best model that sells less: the test keeps A.
  await sandbox.getByLabel('Model B (treatment)').selectOption('fast-answers');
  await run.click();
  const lost = (await result(sandbox)).test!;
  expect(lost['offline.prefers']).toBe('b');
  expect(lost['decisionReason']).toBe('kpi-down');
  expect(lost['guardrail.difference'] as number).toBeLessThan(0);

  // The plan: a one-point lift needs 14,751 per arm; "Use this size" takes it.
  await setNumber(sandbox, 'Smallest lift worth detecting (points)', '1');
  await expect.poll(async () => (await result(sandbox)).plan?.usersPerArmNeeded).toBe(14_751);
  await sandbox.getByRole('button', { name: 'Use this size' }).click();
  await expect(sandbox.getByLabel('Users per arm', { exact: true })).toHaveValue('14751');
  await expect
    .poll(async () => (await result(sandbox)).plan?.powerOfChosenSize)
    .toBeCloseTo(0.8, 3);

  // A refused input is named, and Run waits for a valid one.
  await setNumber(sandbox, 'Users per arm', '10');
  await expect(sandbox).toHaveAttribute('data-status', 'error');
  await expect(sandbox.getByRole('alert')).toContainText('usersPerArm');
  await expect(run).toBeDisabled();

  await sandbox.getByRole('button', { name: 'Reset' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'idle');
  expect((await result(sandbox)).test).toBeNull();
});

test('the peeking panel shows inflation and sequential boundaries holding α', async ({ page }) => {
  await page.goto(LESSON_4);
  const sandbox = page.locator('[data-sandbox="ab-test"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');

  // Keyboard path: the looks slider and the method radios, then the button, without a mouse.
  const looks = sandbox.getByLabel('Looks at the data');
  await looks.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await expect(looks).toHaveValue('5');
  const simulate = sandbox.getByRole('button', { name: 'Run simulation' });
  await simulate.focus();
  await page.keyboard.press('Enter');
  await expect
    .poll(async () => (await result(sandbox)).peeking?.looks, { timeout: 60_000 })
    .toBe(5);
  const naive = (await result(sandbox)).peeking!;
  expect(naive.method).toBe('naive');
  expect(naive.simulations).toBe(20_000);
  // Armitage et al. (1969): 5 looks at α 0.05 → 0.142; SE ≈ 0.0025.
  expect(Math.abs(naive.falsePositiveRate - 0.142)).toBeLessThan(0.01);
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  expect((await result(sandbox)).peekingCurve).toBe(true);
  await expect(
    sandbox.getByRole('img', { name: /False-positive rate against the number of looks/ }),
  ).toBeVisible();

  const pocock = sandbox.getByRole('radio', { name: /Pocock/ });
  await sandbox.getByRole('radio', { name: /Peek naively/ }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(pocock).toBeChecked();
  await simulate.click();
  await expect.poll(async () => (await result(sandbox)).peeking?.method).toBe('pocock');
  const held = (await result(sandbox)).peeking!;
  expect(Math.abs(held.falsePositiveRate - 0.05)).toBeLessThan(0.008);

  await sandbox.getByRole('radio', { name: /O’Brien–Fleming/ }).check();
  await simulate.click();
  await expect.poll(async () => (await result(sandbox)).peeking?.method).toBe('obrien-fleming');
  expect(Math.abs((await result(sandbox)).peeking!.falsePositiveRate - 0.05)).toBeLessThan(0.008);
});
