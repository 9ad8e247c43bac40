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

test('a WebGPU device lost mid-run: the run goes on from the last good weights elsewhere', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // GPUDevice.destroy() really loses the device; tfjs learns of it through device.lost.
  await page.goto(
    `${LESSON_2}?backend=webgpu&rows=2000&epochs=3&fraud=5&simulateFault=webgpu@2.1:lost`,
  );
  const sandbox = await waitUntilReady(page);
  await sandbox.getByRole('button', { name: 'Train' }).click();
  expect(await waitForRunEnd(sandbox, 150_000)).toBe('done');
  const result = await readResult(sandbox);
  expect(result['backendFailures']).toEqual(['webgpu/mid-run']);
  expect(result['backend']).not.toBe('webgpu');
  expect(result['epochs']).toBe(3);
  await expect(sandbox).toContainText('the WebGPU device was lost');
  await expect(sandbox).toContainText(/Continued on \w+ from the weights of epoch 1/);
});
