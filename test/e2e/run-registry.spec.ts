import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect, readResult, test, waitForRunEnd, waitUntilReady } from './fixtures';

const LESSON_8 = '/lessons/08-maintainability/';
// Small, quick runs on the plain-JavaScript backend, whose replays must match bit for bit.
const QUICK = 'backend=cpu&rows=2000&epochs=3&batch=128';

const CHURN_CSV = fileURLToPath(new URL('./fixtures/churn.csv', import.meta.url));

function registry(page: Page): Locator {
  return page.locator('[data-sandbox="run-registry"]');
}

async function trainOnce(page: Page): Promise<string> {
  const sandbox = await waitUntilReady(page);
  await sandbox.getByRole('button', { name: 'Train' }).click();
  expect(await waitForRunEnd(sandbox)).toBe('done');
  const note = sandbox.locator('[data-run-id^="run-"]');
  await expect(note).toContainText('Recorded as run-');
  return (await note.getAttribute('data-run-id')) ?? '';
}

async function registryReady(page: Page): Promise<Locator> {
  const view = registry(page);
  await view.scrollIntoViewIfNeeded();
  await expect(view).toHaveAttribute('data-ready', 'true');
  return view;
}

test.describe('run registry', () => {
  test('records a training run, reproduces it exactly on cpu and within tolerance on wasm', async ({
    page,
  }) => {
    await page.goto(`${LESSON_8}?${QUICK}`);
    const id = await trainOnce(page);
    const view = await registryReady(page);
    const run = view.locator(`[data-run="${id}"]`);
    await expect(run).toBeVisible();
    await expect(run).toContainText('synthetic, 2,000 rows, 1% fraud, seed 42');
    await expect(run).toContainText('cpu');
    expect((await readResult(view))['runs']).toBe(1);
    // The storage estimate counts what was written.
    await expect(view.locator('[data-usage-bytes]')).toContainText('used');

    await run.getByRole('button', { name: `Reproduce ${id}` }).click();
    await expect(run.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'exact', {
      timeout: 60_000,
    });
    await expect(run.locator('[data-verdict]')).toContainText('Same backend (cpu)');
    expect(await readResult(view)).toMatchObject({ reproduced: 'exact', replayBackend: 'cpu' });

    await view.getByLabel('Reproduce on').selectOption('wasm');
    await run.getByRole('button', { name: `Reproduce ${id}` }).click();
    await expect(run.locator('[data-verdict]')).toHaveAttribute(
      'data-verdict',
      /^(exact|within-tolerance)$/,
      { timeout: 60_000 },
    );
    await expect(run.locator('[data-verdict]')).toContainText('Different backend');
    expect((await readResult(view))['replayBackend']).toBe('wasm');
  });

  test('compares two runs side by side and names the setting that changed', async ({ page }) => {
    await page.goto(`${LESSON_8}?${QUICK}`);
    const first = await trainOnce(page);
    await page.goto(`${LESSON_8}?${QUICK}&lr=0.003`);
    const second = await trainOnce(page);
    const view = await registryReady(page);
    await expect(view.locator('[data-run]')).toHaveCount(2);
    await view.locator(`[data-run="${first}"]`).getByRole('checkbox').check();
    await view.locator(`[data-run="${second}"]`).getByRole('checkbox').check();
    const settings = view.locator('table[data-compare="settings"]');
    await expect(settings).toContainText('learningRate');
    await expect(settings).toContainText('0.003');
    await expect(view.locator('table[data-compare="metrics"]')).toContainText('rocAuc');
    expect((await readResult(view))['comparing']).toEqual([first, second]);
    const axe = await new AxeBuilder({ page }).include('[data-sandbox="run-registry"]').analyze();
    expect(axe.violations).toEqual([]);
  });

  test('exports a run, deletes it, imports it back, and refuses a changed weights file', async ({
    page,
  }, testInfo) => {
    await page.goto(`${LESSON_8}?${QUICK}`);
    const id = await trainOnce(page);
    const view = await registryReady(page);
    const run = view.locator(`[data-run="${id}"]`);

    const names: string[] = [];
    const paths: string[] = [];
    page.on('download', (download) => {
      const path = testInfo.outputPath(download.suggestedFilename());
      names.push(download.suggestedFilename());
      paths.push(path);
      void download.saveAs(path);
    });
    await run.getByRole('button', { name: `Export ${id}` }).click();
    await expect.poll(() => names.length).toBe(3);
    expect(names.sort()).toEqual([`${id}.model.json`, `${id}.record.json`, `${id}.weights.bin`]);
    // The model file is a tfjs layers model whose manifest points at the .bin.
    await expect
      .poll(async () => readFile(paths[names.indexOf(`${id}.model.json`)]!, 'utf8').catch(() => ''))
      .toContain('layers-model');
    const model = JSON.parse(await readFile(paths[names.indexOf(`${id}.model.json`)]!, 'utf8'));
    expect(model.weightsManifest[0].paths).toEqual([`${id}.weights.bin`]);

    await run.getByRole('button', { name: `Delete ${id}` }).click();
    await expect(view.locator('[data-run]')).toHaveCount(0);

    // A weights file with one byte changed is refused, and nothing is added.
    const weightsPath = paths[names.indexOf(`${id}.weights.bin`)]!;
    const tampered = Buffer.from(await readFile(weightsPath));
    tampered[0] = (tampered[0]! + 1) % 256;
    const tamperedPath = testInfo.outputPath('tampered.weights.bin');
    await writeFile(tamperedPath, tampered);
    const input = view.locator('input[type="file"]');
    await input.setInputFiles([
      paths[names.indexOf(`${id}.model.json`)]!,
      paths[names.indexOf(`${id}.record.json`)]!,
      tamperedPath,
    ]);
    await expect(view.getByRole('alert')).toContainText('Nothing was imported');
    await expect(view.locator('[data-run]')).toHaveCount(0);

    await input.setInputFiles(paths);
    await expect(view.getByRole('status').filter({ hasText: `Imported ${id}` })).toBeVisible();
    await expect(view.locator(`[data-run="${id}"]`)).toBeVisible();
    // The imported run still reproduces exactly.
    await view
      .locator(`[data-run="${id}"]`)
      .getByRole('button', { name: `Reproduce ${id}` })
      .click();
    await expect(view.locator(`[data-run="${id}"] [data-verdict]`)).toHaveAttribute(
      'data-verdict',
      'exact',
      { timeout: 60_000 },
    );
  });

  test('runs survive a reload, and a simulation sandbox that trains records its runs too', async ({
    page,
  }) => {
    await page.goto(`${LESSON_8}?${QUICK}`);
    const id = await trainOnce(page);
    await page.reload();
    const view = await registryReady(page);
    await expect(view.locator(`[data-run="${id}"]`)).toBeVisible();

    await page.goto('/lessons/01-business-objectives/');
    const ads = page.locator('[data-sandbox="ads"]');
    await ads.scrollIntoViewIfNeeded();
    await expect(ads).toHaveAttribute('data-ready', 'true');
    await ads.getByRole('button', { name: 'Run' }).click();
    await expect(ads).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    const note = ads.locator('[data-run-id^="run-"]');
    await expect(note).toContainText('Recorded as');
    const adsId = (await note.getAttribute('data-run-id')) ?? '';

    await page.goto(LESSON_8);
    const again = await registryReady(page);
    await expect(again.locator('[data-run]')).toHaveCount(2);
    const adsRun = again.locator(`[data-run="${adsId}"]`);
    await adsRun.getByRole('button', { name: `Reproduce ${adsId}` }).click();
    await expect(adsRun.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'exact', {
      timeout: 60_000,
    });
  });

  test('a full storage quota is reported, never silent, and the sandbox keeps working', async ({
    page,
  }) => {
    await page.goto(`${LESSON_8}?${QUICK}`);
    // Chromium's DevTools protocol can shrink this origin's quota, so the browser itself refuses
    // the write with a QuotaExceededError, as it would on a full disk.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', {
      origin: new URL(page.url()).origin,
      quotaSize: 1,
    });
    const sandbox = await waitUntilReady(page);
    await sandbox.getByRole('button', { name: 'Train' }).click();
    expect(await waitForRunEnd(sandbox)).toBe('done');
    const note = sandbox.locator('.recorded');
    await expect(note).toContainText('This run was not recorded');
    await expect(note).toContainText('storage for this site is full');
    const view = await registryReady(page);
    await expect(view.locator('[data-run]')).toHaveCount(0);

    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin });
    await sandbox.getByRole('button', { name: 'Train' }).click();
    expect(await waitForRunEnd(sandbox)).toBe('done');
    await expect(sandbox.locator('[data-run-id^="run-"]')).toContainText('Recorded as');
    await expect(view.locator('[data-run]')).toHaveCount(1);
  });

  test('a run on an uploaded CSV is recorded by its file’s SHA-256 and reproduces exactly', async ({
    page,
  }) => {
    await page.goto(`${LESSON_8}?backend=cpu&epochs=3`);
    const sandbox = await waitUntilReady(page);
    await sandbox.getByLabel('Your CSV file').check();
    await sandbox.getByLabel('CSV file (choose one, or drop it here)').setInputFiles(CHURN_CSV);
    await sandbox.getByLabel('Target (what to predict)').selectOption('churned');
    await expect(sandbox.locator('[data-csv-summary]')).toContainText('churned = yes');
    const id = await trainOnce(page);
    const view = await registryReady(page);
    const run = view.locator(`[data-run="${id}"]`);
    await expect(run).toContainText(/churn\.csv \(44\.\d KB, SHA-256 [0-9a-f]{12}…\)/);
    await run.getByRole('button', { name: `Reproduce ${id}` }).click();
    await expect(run.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'exact', {
      timeout: 60_000,
    });
  });
});
