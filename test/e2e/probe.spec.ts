import { expect, LESSON_2, test, waitUntilReady } from './fixtures';

test('Auto times the backends in the background, remembers the ranking, and uses it next visit', async ({
  page,
}) => {
  await page.goto(LESSON_2);
  const sandbox = await waitUntilReady(page);
  const probeLine = sandbox.locator('.probe');
  await expect(probeLine).toContainText('Auto starts on WASM');
  // The probe starts 1.5 s after Ready and gives each backend at most 3 s.
  await expect(probeLine).toContainText('measured on this device', { timeout: 30_000 });
  await expect(probeLine).toContainText(/wasm \d+(\.\d)? ms\/step/);
  const stored = await page.evaluate(() => localStorage.getItem('mlsdl.backend-probe.v1'));
  const ranking =
    (JSON.parse(stored ?? '{}') as { result?: { ranking?: string[] } }).result?.ranking ?? [];
  expect(ranking).toContain('wasm');
  expect(ranking).toContain('cpu');

  await page.reload();
  const again = await waitUntilReady(page);
  await expect(again.locator('.probe')).toContainText('(remembered)');
  await again.getByRole('button', { name: 'Train' }).click();
  await expect(again).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const result = JSON.parse((await again.getAttribute('data-result')) ?? '{}') as {
    backend?: string;
  };
  expect(result.backend).toBe(ranking[0]);
});

test('pressing Train before the probe finishes starts on WASM at once and puts the probe off', async ({
  page,
}) => {
  await page.goto(`${LESSON_2}?epochs=2`);
  const sandbox = await waitUntilReady(page);
  await sandbox.getByRole('button', { name: 'Train' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(sandbox.locator('.probe')).toContainText('put off');
  const result = JSON.parse((await sandbox.getAttribute('data-result')) ?? '{}') as {
    backend?: string;
  };
  expect(result.backend).toBe('wasm');
  expect(await page.evaluate(() => localStorage.getItem('mlsdl.backend-probe.v1'))).toBeNull();
});
