import { chromiumArgs, chromiumExecutablePath } from './browser';
import { expect, LESSON_2, readResult, test, waitForRunEnd, waitUntilReady } from './fixtures';

// Chromium exposes WebGPU on a software adapter with this flag, so the WebGPU path runs here
// without a GPU (slowly: a tiny job keeps the test short).
test.use({
  launchOptions: {
    args: [...chromiumArgs, '--enable-unsafe-webgpu'],
    ...(chromiumExecutablePath ? { executablePath: chromiumExecutablePath } : {}),
  },
});

test('a tiny run trains on the WebGPU backend', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`${LESSON_2}?backend=webgpu&rows=2000&epochs=2&fraud=5`);
  const sandbox = await waitUntilReady(page);
  await sandbox.getByRole('button', { name: 'Train' }).click();
  expect(await waitForRunEnd(sandbox, 150_000)).toBe('done');
  const result = await readResult(sandbox);
  expect(result['backend']).toBe('webgpu');
  expect(result['backendFailures']).toEqual([]);
  expect(result['epochs']).toBe(2);
  expect(result['auc']).toBeGreaterThan(0.5);
});
