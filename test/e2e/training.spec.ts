import { expect, LESSON_2, readResult, test, waitForRunEnd, waitUntilReady } from './fixtures';

test.describe('training sandbox', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    test(`trains the default MLP to ROC AUC >= 0.9 on ${backend}`, async ({ page }) => {
      await page.goto(`${LESSON_2}?backend=${backend}`);
      const sandbox = await waitUntilReady(page);
      await sandbox.getByRole('button', { name: 'Train' }).click();
      await expect(sandbox).toHaveAttribute('data-status', 'running');
      expect(await waitForRunEnd(sandbox)).toBe('done');
      const result = await readResult(sandbox);
      expect(result['backend']).toBe(backend);
      expect(result['epochs']).toBe(10);
      expect(result['outcome']).toBe('completed');
      expect(result['auc']).toBeGreaterThanOrEqual(0.9);
      expect(result['msPerEpoch']).toBeGreaterThan(0);
      await expect(sandbox.locator('[data-backend]')).toContainText(`${backend}`);
      await expect(sandbox.locator('[data-backend]')).toContainText('ms per epoch');
      // Every listed metric is shown as a number.
      for (const metric of [
        'accuracy',
        'precision',
        'recall',
        'f1',
        'rocAuc',
        'prAuc',
        'logLoss',
      ]) {
        await expect(sandbox.locator(`td[data-metric="${metric}"]`)).toHaveText(/^\d\.\d{3}$/);
      }
      const confusion = result['confusion'] as Record<string, number>;
      const total = Object.values(confusion).reduce((sum, count) => sum + count, 0);
      // The confusion matrix covers the whole validation split: 15% of 20,000 rows.
      expect(total).toBe(result['validationRows']);
      expect(Math.abs(total - 3000)).toBeLessThanOrEqual(2);
    });
  }

  test('Stop ends a long run after the current batch and keeps its metrics', async ({ page }) => {
    await page.goto(`${LESSON_2}?backend=wasm&epochs=200`);
    const sandbox = await waitUntilReady(page);
    await sandbox.getByRole('button', { name: 'Train' }).click();
    await expect
      .poll(async () => (await readResult(sandbox))['epochs'], { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1);
    await sandbox.getByRole('button', { name: 'Stop' }).click();
    expect(await waitForRunEnd(sandbox, 15_000)).toBe('done');
    const result = await readResult(sandbox);
    expect(result['outcome']).toBe('stopped');
    expect(result['epochs']).toBeLessThan(200);
    expect(result['auc']).toEqual(expect.any(Number));
    await expect(sandbox.getByRole('status').filter({ hasText: 'Stopped after' })).toBeVisible();
  });

  test('a learning rate that blows up the loss stops with an explanation', async ({ page }) => {
    await page.goto(`${LESSON_2}?backend=wasm&lr=50&epochs=5`);
    const sandbox = await waitUntilReady(page);
    await sandbox.getByRole('button', { name: 'Train' }).click();
    expect(await waitForRunEnd(sandbox)).toBe('error');
    const alert = sandbox.getByRole('alert');
    await expect(alert).toContainText('The training diverged');
    await expect(alert).toContainText('learning rate');
    await expect(alert).toContainText('smaller');
    expect((await readResult(sandbox))['diverged']).toBe(true);
  });

  test('a backend that fails mid-run hands its weights to the next one', async ({ page }) => {
    await page.goto(`${LESSON_2}?backend=wasm&epochs=4&simulateFault=wasm@3.2`);
    const sandbox = await waitUntilReady(page);
    await sandbox.getByRole('button', { name: 'Train' }).click();
    expect(await waitForRunEnd(sandbox)).toBe('done');
    const result = await readResult(sandbox);
    expect(result['backendFailures']).toEqual(['wasm/mid-run']);
    expect(result['backend']).toBe('cpu');
    expect(result['epochs']).toBe(4);
    await expect(sandbox).toContainText('wasm failed during epoch 3');
    await expect(sandbox).toContainText('Continued on cpu from the weights of epoch 2');
  });

  test('a lost WebGL context mid-run: the run continues on the next backend from the last good weights', async ({
    page,
  }) => {
    // WEBGL_lose_context really drops the context; tfjs then fails on its own, as after a GPU reset.
    await page.goto(`${LESSON_2}?backend=webgl&rows=2000&epochs=3&simulateFault=webgl@2.1:lost`);
    const sandbox = await waitUntilReady(page);
    await sandbox.getByRole('button', { name: 'Train' }).click();
    expect(await waitForRunEnd(sandbox)).toBe('done');
    const result = await readResult(sandbox);
    expect(result['backendFailures']).toEqual(['webgl/mid-run']);
    expect(result['epochs']).toBe(3);
    expect(result['backend']).not.toBe('webgl');
    await expect(sandbox).toContainText('webgl failed during epoch 2');
    await expect(sandbox).toContainText(/Continued on \w+ from the weights of epoch 1/);
    // The recovered run is recorded with its final weights.
    await expect(sandbox.locator('[data-run-id^="run-"]')).toContainText('Recorded as');
  });

  test('a backend that cannot start is skipped with its reason, and the run trains on the next', async ({
    page,
  }) => {
    // This Chromium runs without --enable-unsafe-webgpu, so WebGPU has no adapter to start on.
    await page.goto(`${LESSON_2}?backend=webgpu&rows=2000&epochs=2`);
    const sandbox = await waitUntilReady(page);
    await sandbox.getByRole('button', { name: 'Train' }).click();
    expect(await waitForRunEnd(sandbox)).toBe('done');
    const result = await readResult(sandbox);
    expect(result['backendFailures']).toEqual(['webgpu/start']);
    expect(result['backend']).not.toBe('webgpu');
    expect(result['epochs']).toBe(2);
    await expect(sandbox).toContainText('webgpu could not start');
  });

  test('settings round-trip through the URL', async ({ page }) => {
    await page.goto(
      `${LESSON_2}?model=mlp&hidden=24,12,6&lr=0.003&epochs=7&batch=128&weighting=balanced&seed=9&backend=cpu`,
    );
    const sandbox = await waitUntilReady(page);
    await expect(sandbox.getByLabel('Hidden layer sizes')).toHaveValue('24, 12, 6');
    await expect(sandbox.getByLabel('Learning rate')).toHaveValue('0.003');
    await expect(sandbox.getByLabel('Epochs')).toHaveValue('7');
    await expect(sandbox.getByLabel('Batch size')).toHaveValue('128');
    await expect(sandbox.getByLabel('Class weighting')).toHaveValue('balanced');
    await expect(sandbox.getByLabel('Seed')).toHaveValue('9');
    await expect(sandbox.getByLabel('Compute backend')).toHaveValue('cpu');

    await sandbox.getByLabel('Model').selectOption('logistic');
    await sandbox.getByLabel('Seed').fill('1234');
    await sandbox.getByLabel('Seed').press('Tab');
    await expect(page).toHaveURL(/model=logistic/);
    await expect(page).toHaveURL(/seed=1234/);
    await page.reload();
    const reloaded = await waitUntilReady(page);
    await expect(reloaded.getByLabel('Model')).toHaveValue('logistic');
    await expect(reloaded.getByLabel('Seed')).toHaveValue('1234');
    await expect(reloaded.getByLabel('Hidden layer sizes')).toBeDisabled();
  });

  test('bad URL parameters fall back to defaults with a notice', async ({ page }) => {
    await page.goto(`${LESSON_2}?lr=banana&epochs=-3&hidden=<script>&backend=quantum`);
    const sandbox = await waitUntilReady(page);
    const notice = sandbox.getByRole('status').filter({ hasText: 'not usable' });
    await expect(notice).toContainText('lr=banana');
    await expect(notice).toContainText('backend=quantum');
    await expect(sandbox.getByLabel('Learning rate')).toHaveValue('0.01');
    await expect(sandbox.getByLabel('Epochs')).toHaveValue('10');
  });
});
