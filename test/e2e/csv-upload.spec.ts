/**
 * "Bring your own data": the training sandbox trains on a CSV file the learner picks. The file
 * `fixtures/churn.csv` holds 1,500 customers (an ID, tenure, monthly spend with 58 blank cells,
 * support calls, a plan with 43 `NA`s, autopay yes/no) and `churned` yes/no, drawn from a
 * logistic model of those columns (seeded generator, mulberry32 seed 20261115), so a model can
 * learn it. Bad files are built in memory.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { expect, LESSON_2, readResult, test, waitForRunEnd, waitUntilReady } from './fixtures';

const CHURN_CSV = fileURLToPath(new URL('./fixtures/churn.csv', import.meta.url));

const csvFile = (name: string, text: string) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(text),
});

async function chooseCsvSource(sandbox: Locator): Promise<Locator> {
  await sandbox.getByLabel('Your CSV file').check();
  return sandbox.getByLabel('CSV file (choose one, or drop it here)');
}

async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .include('[data-sandbox="training"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('training on an uploaded CSV file', () => {
  test('previews the file, takes a target and trains on it, and records the run', async ({
    page,
  }) => {
    await page.goto(`${LESSON_2}?backend=wasm`);
    const sandbox = await waitUntilReady(page);
    const fileInput = await chooseCsvSource(sandbox);
    await expect(sandbox.getByText('never uploaded')).toBeVisible();
    await expect(
      sandbox.getByText('Exercises on this page use the synthetic transactions'),
    ).toBeVisible();
    // No file yet: nothing to train on.
    await expect(sandbox.getByRole('button', { name: 'Train' })).toBeDisabled();
    // The synthetic data's own fields do not apply while a CSV is the source.
    await sandbox.getByText('Synthetic data').click();
    await expect(sandbox.getByRole('spinbutton', { name: 'Transactions' })).toBeDisabled();
    await expect(sandbox.getByText('your CSV file sets the rows now')).toBeVisible();

    await fileInput.setInputFiles(CHURN_CSV);
    const facts = sandbox.locator('[data-csv-file]');
    await expect(facts).toContainText('churn.csv: 45.2 kB, 1,500 rows × 7 columns');
    const preview = sandbox.getByRole('region', { name: /First rows of churn\.csv/ });
    await expect(preview.getByRole('row')).toHaveCount(11);
    await expect(preview).toContainText('C-0001');
    // Inferred types, with the evidence in words.
    await expect(sandbox.getByLabel('Type of customer_id')).toHaveValue('text');
    await expect(
      sandbox.getByRole('checkbox', { name: 'Use customer_id as a feature' }),
    ).toBeDisabled();
    await expect(sandbox.getByLabel('Type of plan')).toHaveValue('categorical');
    await expect(sandbox.getByLabel('Type of monthly_spend_usd')).toHaveValue('numeric');
    const columns = sandbox.getByRole('region', { name: /Columns: features and types/ });
    await expect(columns).toContainText('Mostly numbers: numeric. 58 cells missing.');
    await expect(columns).toContainText('More than 50 distinct words: text or an ID.');

    // Choose the target: autopay first, then churned.
    const target = sandbox.getByLabel('Target (what to predict)');
    await target.selectOption('autopay');
    const summary = sandbox.locator('[data-csv-summary]');
    await expect(summary).toContainText('autopay = yes');
    await expect(sandbox.getByRole('checkbox', { name: 'Use churned as a feature' })).toBeChecked();
    await target.selectOption('churned');
    await expect(summary).toContainText('churned = yes');
    await expect(summary).toContainText('1,399 rows: 979 to train, 210 to validate, 210 to test');
    await expect(summary).toContainText('dropped 101 of 1,500 rows');

    // The fill rule says what it filled.
    await sandbox.getByRole('radio', { name: /^Fill: median for numbers/ }).check();
    await expect(summary).toContainText('monthly_spend_usd: 58 cells with the median');
    await expect(summary).toContainText('plan: 43 cells with the most frequent value');
    await expect(summary).toContainText('1,500 rows');
    await sandbox.getByRole('radio', { name: /^Drop rows with a missing value/ }).check();
    await expect(summary).toContainText('dropped 101 of 1,500 rows');
    console.info(
      `worker timings: ${await facts.locator('.timing').textContent()} ${await summary.locator('.timing').textContent()}`,
    );

    await sandbox.getByRole('button', { name: 'Train' }).click();
    expect(await waitForRunEnd(sandbox)).toBe('done');
    const result = await readResult(sandbox);
    expect(result['outcome']).toBe('completed');
    expect(result['validationRows']).toBe(210);
    expect(result['auc']).toBeGreaterThan(0.7);
    await expect(sandbox.locator('[data-backend]')).toContainText('churned = yes (churn.csv)');
    await expect(sandbox.locator('[data-run-id]')).toHaveAttribute('data-run-id', /^run-/);
    // Exercises beside the sandbox see no run on uploaded data.
    const exercise = page.locator('[data-exercise="logistic-auc"]');
    await exercise.scrollIntoViewIfNeeded();
    await expect(exercise).toHaveAttribute('data-ready', 'true');
    await expect(exercise.getByRole('button', { name: 'Submit' })).toBeDisabled();
    // Loading an exercise's settings switches the data back to the synthetic transactions.
    await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
    await expect(sandbox.getByLabel('Synthetic card transactions')).toBeChecked();
    await expect(sandbox.getByRole('region', { name: /First rows of churn\.csv/ })).toHaveCount(0);
    console.info(`csv run: AUC ${String(result['auc'])}, ${String(result['msPerEpoch'])} ms/epoch`);
  });

  test('bad files get a message naming the row or column, and the sandbox still trains', async ({
    page,
  }) => {
    await page.goto(`${LESSON_2}?backend=wasm&epochs=2`);
    const sandbox = await waitUntilReady(page);
    const fileInput = await chooseCsvSource(sandbox);
    const alert = sandbox.getByRole('alert');

    await fileInput.setInputFiles(csvFile('ragged.csv', 'a,b,y\n1,2,0\n3,4\n5,6,1\n'));
    await expect(alert).toContainText('ragged.csv cannot be used.');
    await expect(alert).toContainText('Row 3 has 2 fields, expected 3 (as many as the header).');
    await expect(sandbox.getByRole('button', { name: 'Train' })).toBeDisabled();

    const oneClass = ['x1,x2,label', ...Array.from({ length: 30 }, (_, i) => `${i},${i * 2},0`)];
    await fileInput.setInputFiles(csvFile('one-class.csv', oneClass.join('\n')));
    await expect(alert).toContainText('These choices cannot be trained on.');
    await expect(alert).toContainText('The target column "label" holds one value only ("0")');
    await expect(sandbox.getByRole('button', { name: 'Train' })).toBeDisabled();

    await fileInput.setInputFiles(
      csvFile(
        'words.csv',
        'x,y\n1,0\n2,1\n3,0\nmany,1\n5,0\n6,1\n7,0\n8,1\n9,0\n10,1\n11,0\n12,1\n',
      ),
    );
    await sandbox.getByLabel('Type of x').selectOption('numeric');
    await expect(alert).toContainText('Row 5, column "x": "many" is not a number');

    const threeClasses = ['x,grade', ...Array.from({ length: 30 }, (_, i) => `${i},${i % 3}`)];
    await fileInput.setInputFiles(csvFile('grades.csv', threeClasses.join('\n')));
    await expect(alert).toContainText(
      'The target column "grade" must hold exactly two values, but it holds 3: "0", "1", "2".',
    );
    await fileInput.setInputFiles(csvFile('tiny.csv', 'x,y\n1,0\n2,1\n3,0\n4,1\n'));
    await expect(alert).toContainText('The file has only 4 data rows; at least 10 are needed.');

    await fileInput.setInputFiles(csvFile('empty.csv', ''));
    await expect(alert).toContainText('The file is empty.');
    await fileInput.setInputFiles(csvFile('numbers.csv', '1,2,3\n4,5,6\n'));
    await expect(alert).toContainText('Row 1 holds only numbers');
    await fileInput.setInputFiles({
      name: 'huge.csv',
      mimeType: 'text/csv',
      buffer: Buffer.alloc(25_000_000, 0x31),
    });
    await expect(alert).toContainText(
      'The file is 25 MB, larger than the 20 MB limit, so it was not read.',
    );
    expect(await axeViolations(page)).toEqual([]);

    // The synthetic data still trains after all that.
    await sandbox.getByLabel('Synthetic card transactions').check();
    await expect(alert).toHaveCount(0);
    await sandbox.getByRole('button', { name: 'Train' }).click();
    expect(await waitForRunEnd(sandbox)).toBe('done');
    const result = await readResult(sandbox);
    expect(result['epochs']).toBe(2);
    expect(result['auc']).toEqual(expect.any(Number));
    await expect(sandbox.locator('[data-backend]')).toContainText('% fraud');
  });

  test('works by keyboard: data choice, file, target, rule, features, Train', async ({ page }) => {
    await page.goto(`${LESSON_2}?backend=wasm&epochs=2`);
    const sandbox = await waitUntilReady(page);
    const synthetic = sandbox.getByLabel('Synthetic card transactions');
    await synthetic.focus();
    await page.keyboard.press('ArrowDown');
    await expect(sandbox.getByLabel('Your CSV file')).toBeChecked();
    await page.keyboard.press('Tab');
    const fileInput = sandbox.getByLabel('CSV file (choose one, or drop it here)');
    await expect(fileInput).toBeFocused();
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Space');
    await (await chooser).setFiles(CHURN_CSV);
    const summary = sandbox.locator('[data-csv-summary]');
    await expect(summary).toContainText('churned = yes');

    await page.keyboard.press('Tab');
    await expect(sandbox.getByRole('region', { name: /First rows of churn\.csv/ })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(sandbox.getByLabel('Target (what to predict)')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(
      sandbox.getByRole('radio', { name: /^Drop rows with a missing value/ }),
    ).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(sandbox.getByRole('radio', { name: /^Fill: median for numbers/ })).toBeChecked();
    await expect(summary).toContainText('monthly_spend_usd: 58 cells with the median');
    await page.keyboard.press('Tab');
    await expect(
      sandbox.getByRole('region', { name: /Columns: features and types/ }),
    ).toBeFocused();
    // customer_id's checkbox is disabled (text is ignored), so its type picker comes first.
    await page.keyboard.press('Tab');
    await expect(sandbox.getByLabel('Type of customer_id')).toBeFocused();
    await page.keyboard.press('Tab');
    const tenure = sandbox.getByRole('checkbox', { name: 'Use tenure_months as a feature' });
    await expect(tenure).toBeFocused();
    await page.keyboard.press('Space');
    await expect(tenure).not.toBeChecked();
    await expect(summary).toContainText('from 6 model inputs');

    await sandbox.getByRole('button', { name: 'Train' }).focus();
    await page.keyboard.press('Enter');
    expect(await waitForRunEnd(sandbox)).toBe('done');
    expect((await readResult(sandbox))['epochs']).toBe(2);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the upload form has no axe violation (${theme})`, async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      await page.goto(`${LESSON_2}?backend=wasm`);
      const sandbox = await waitUntilReady(page);
      const fileInput = await chooseCsvSource(sandbox);
      await fileInput.setInputFiles(CHURN_CSV);
      await sandbox.getByRole('radio', { name: /^Fill: median for numbers/ }).check();
      await expect(sandbox.locator('[data-csv-summary]')).toContainText('cells with the median');
      await sandbox.getByLabel('Type of plan').selectOption('numeric');
      await expect(sandbox.getByRole('alert')).toContainText('is not a number');
      expect(await axeViolations(page)).toEqual([]);
    });
  }
});
