import { expect, LESSON_2, readResult, test } from './fixtures';

test('two real models are judged by accuracy and by money, each with an interval', async ({
  page,
}) => {
  await page.goto(`${LESSON_2}?backend=wasm`);
  const sandbox = page.locator('[data-sandbox="model-pair"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await sandbox.getByRole('button', { name: 'Train' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const result = await readResult(sandbox);
  const models = result['models'] as {
    accuracy: number;
    accuracyInterval: [number, number];
    netSavingsUsd: number;
    netSavingsIntervalUsd: [number, number];
  }[];
  expect(models).toHaveLength(2);
  for (const model of models) {
    expect(model.accuracyInterval[0]).toBeLessThanOrEqual(model.accuracy);
    expect(model.accuracyInterval[1]).toBeGreaterThanOrEqual(model.accuracy);
    expect(model.netSavingsIntervalUsd[0]).toBeLessThanOrEqual(model.netSavingsUsd);
    expect(model.netSavingsIntervalUsd[1]).toBeGreaterThanOrEqual(model.netSavingsUsd);
  }
  // What lesson 2 says of the default seed: the small network wins on accuracy, the large one
  // on money, by a gap of a fraction of a point that sits well inside the noise.
  expect(result['accuracyLeader']).toBe(0);
  expect(result['savingsLeader']).toBe(1);
  expect(result['rankingsDisagree']).toBe(true);
  expect(result['accuracyGapPoints']).toBeLessThan(1);
  expect(result['accuracyIntervalsOverlap']).toBe(true);
  await expect(sandbox.locator('[data-verdict]')).toContainText('Accuracy');

  // The other pair trains too.
  await sandbox.getByLabel('Pair').selectOption('logistic-vs-mlp');
  await sandbox.getByRole('button', { name: 'Train' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  expect((await readResult(sandbox))['pair']).toBe('logistic-vs-mlp');
});
