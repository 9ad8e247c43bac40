import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Download, Locator, Page } from '@playwright/test';
import { expect, test, waitForExercise } from './fixtures';

const BUILDER = '/instructors/build-assignment/';
const DASHBOARD = '/instructors/dashboard/';
const NAME = 'Lovelace, Ada "the Countess"';
const CODE = 'Group 7';

/** Every axe violation (WCAG 2.2 AA tags) on the page as it stands, as `rule: targets` lines. */
async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Builds an assignment of pilot-downside and smaller-shop and returns its link and id. */
async function buildAssignment(page: Page): Promise<{ link: string; id: string }> {
  await page.goto(BUILDER);
  const builder = page.locator('[data-assignment-builder]');
  await expect(builder).toHaveAttribute('data-ready', 'true');
  await page.getByLabel('Assignment title').fill('Week 5: realistic returns');
  await page.getByLabel('Due (as students should read it)').fill('Friday 12 June, 17:00');
  await expect(page.getByRole('checkbox', { name: /own numbers/ })).toBeChecked();
  await page.getByRole('checkbox', { name: 'What must the pilot rule out' }).check();
  // Keyboard: Space toggles the second exercise.
  await page.getByRole('checkbox', { name: 'The same idea in a smaller shop' }).focus();
  await page.keyboard.press('Space');
  await expect(
    page.getByRole('checkbox', { name: 'The same idea in a smaller shop' }),
  ).toBeChecked();
  const status = page.locator('[data-builder-status]');
  await expect(status).toContainText(/Assignment id [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}/);
  const id = /([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})/.exec((await status.textContent()) ?? '')?.[1];
  const link = await page.getByLabel('Assignment link').inputValue();
  expect(link).toMatch(/\/instructors\/assignment\/#a=[A-Za-z0-9_-]+$/);
  // The preview shows what students will see.
  const preview = page.locator('.preview');
  await expect(preview.getByRole('heading', { name: 'Week 5: realistic returns' })).toBeVisible();
  await expect(preview.locator('[data-assignment-exercise]')).toHaveCount(2);
  return { link, id: id ?? '' };
}

/** Sets a number field of the returns sandbox and leaves it, so the sandbox recomputes. */
async function setField(sandbox: Locator, label: string, value: string): Promise<void> {
  const field = sandbox.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Tab');
}

/** Loads an exercise's settings, applies `fields`, and submits it; expects it to pass. */
async function solve(page: Page, id: string, fields: [string, string][]): Promise<void> {
  const sandbox = page.locator('[data-sandbox="returns"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  const exercise = await waitForExercise(page, id);
  await expect(exercise.locator('[data-variant]')).toContainText('Your variant for “group 7”');
  await exercise.getByRole('button', { name: 'Load the exercise settings' }).click();
  for (const [label, value] of fields) await setField(sandbox, label, value);
  await expect(exercise.locator('[data-check-passed="false"]')).toHaveCount(0);
  await exercise.getByRole('button', { name: 'Submit' }).click();
  await expect(exercise).toHaveAttribute('data-exercise-status', 'passed');
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<[Download, string]> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return [download, readFileSync(path, 'utf8')];
}

test('an assignment goes from the builder to a student and back to the dashboard, verified', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const { link, id } = await buildAssignment(page);

  // The student opens the link, gives a name and a code.
  await page.goto(link);
  const student = page.locator('[data-assignment-page]');
  await expect(student).toHaveAttribute('data-ready', 'true');
  await expect(page.getByRole('heading', { name: 'Week 5: realistic returns' })).toBeVisible();
  await expect(student.locator('[data-assignment-id]')).toHaveText(id);
  await expect(student.locator('[data-standing="not-tried"]')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Download submission' })).toBeDisabled();
  await page.getByLabel('Your name').fill(NAME);
  await page.getByLabel(/Your code/).fill(CODE);
  await page.getByLabel(/Your code/).press('Enter');
  await expect(student.getByRole('status').filter({ hasText: 'group 7' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('mlsdl.student-code'))).toBe(CODE);

  // Each exercise is solved on its lesson page, reached from the assignment's link.
  await student.getByRole('link', { name: 'What must the pilot rule out' }).click();
  await expect(page).toHaveURL(/\/lessons\/05-realistic-returns\/#exercise-pilot-downside-title$/);
  await solve(page, 'pilot-downside', [['Uplift: extra purchases per visit, low', '0']]);
  await solve(page, 'smaller-shop', [
    ['Cost to build and launch (USD), low', '30000'],
    ['Cost to build and launch (USD), likely', '30000'],
    ['Cost to build and launch (USD), high', '30000'],
    ['Serving cost per month (USD), low', '500'],
    ['Serving cost per month (USD), likely', '1000'],
    ['Serving cost per month (USD), high', '2000'],
    ['Upkeep per month (USD): retraining, monitoring, low', '1000'],
    ['Upkeep per month (USD): retraining, monitoring, likely', '2000'],
    ['Upkeep per month (USD): retraining, monitoring, high', '4000'],
  ]);

  // Back on the assignment page both are solved; the submission downloads.
  await page.goto(link);
  await expect(student).toHaveAttribute('data-ready', 'true');
  await expect(student.locator('[data-standing="solved"]')).toHaveCount(2);
  await expect(page.getByLabel('Your name')).toHaveValue(NAME);
  const [download, bundleText] = await downloaded(page, () =>
    page.getByRole('button', { name: 'Download submission' }).click(),
  );
  expect(download.suggestedFilename()).toBe(`submission-lovelace-ada-the-countess-${id}.json`);
  const bundle = JSON.parse(bundleText) as {
    format: string;
    assignment: { id: string };
    student: { name: string; code: string | null };
    receipts: { exerciseId: string; inputs: Record<string, unknown> }[];
  };
  expect(bundle.format).toBe('mlsdl-submission');
  expect(bundle.assignment.id).toBe(id);
  expect(bundle.student).toEqual({ name: NAME, code: 'group 7' });
  expect(bundle.receipts.map((r) => r.exerciseId)).toEqual(['pilot-downside', 'smaller-shop']);

  // A tampered copy (one input edited) and a foreign file (a single receipt).
  const tampered = JSON.parse(bundleText) as typeof bundle;
  tampered.student.name = 'Tampered copy';
  tampered.receipts[1]!.inputs['buildCostUsd.likely'] = 20000;
  const json = 'application/json';
  const files = [
    { name: 'ada.json', mimeType: json, buffer: Buffer.from(bundleText) },
    { name: 'tampered.json', mimeType: json, buffer: Buffer.from(JSON.stringify(tampered)) },
    {
      name: 'receipt.json',
      mimeType: json,
      buffer: Buffer.from(JSON.stringify(bundle.receipts[0])),
    },
  ];

  await page.goto(DASHBOARD);
  const dashboard = page.locator('[data-dashboard]');
  await expect(dashboard).toHaveAttribute('data-ready', 'true');
  await page.getByLabel('Assignment link').fill(link);
  await page.getByRole('button', { name: 'Load link' }).click();
  await expect(dashboard.locator(`[data-assignment-status="${id}"]`)).toContainText(
    'Loaded “Week 5: realistic returns”',
  );
  await page.locator('#dashboard-files-input').setInputFiles(files);

  const refused = dashboard.locator('[data-refused="receipt.json"]');
  await expect(refused).toContainText('receipt of one exercise submission, not a submission');
  const honest = dashboard.locator(`tr[data-student='${NAME}']`);
  const forged = dashboard.locator('tr[data-student="Tampered copy"]');
  await expect(honest.locator('td[data-status="verified"]')).toHaveCount(2);
  await expect(honest.locator('td[data-solved]')).toHaveText('2 of 2');
  await expect(forged.locator('td[data-cell="pilot-downside"]')).toHaveAttribute(
    'data-status',
    'verified',
  );
  const flagged = forged.locator('td[data-cell="smaller-shop"]');
  await expect(flagged).toHaveAttribute('data-status', 'flagged');
  // The status is written out, not shown by colour alone, with the reason beside it.
  await expect(flagged).toContainText('Flagged');
  await expect(flagged).toContainText('do not match the receipt’s hash');
  await expect(dashboard.locator('[data-progress="idle"]')).toContainText('Checked 2 submissions');
  expect(await axeViolations(page)).toEqual([]);

  const [csvDownload, csv] = await downloaded(page, () =>
    page.getByRole('button', { name: 'Export CSV' }).click(),
  );
  expect(csvDownload.suggestedFilename()).toBe(`gradebook-${id}.csv`);
  expect(csv.split('\r\n')).toEqual([
    'name,code,pilot-downside,smaller-shop,solved,notes',
    '"Lovelace, Ada ""the Countess""",group 7,solved,solved,2,',
    'Tampered copy,group 7,solved,flagged,1,"smaller-shop: The inputs do not match the receipt’s hash: its exercise, variant or settings were changed after it was submitted."',
    '',
  ]);
});

test('a bad assignment link is refused with a reason, and variants off clear the saved code', async ({
  page,
}) => {
  await page.goto('/instructors/assignment/#a=eyJmb3JtYXQiOiJtbHNkbC1h');
  const student = page.locator('[data-assignment-page]');
  await expect(student).toHaveAttribute('data-ready', 'true');
  await expect(student.getByRole('alert')).toContainText('looks cut off');

  await page.goto(BUILDER);
  await expect(page.locator('[data-assignment-builder]')).toHaveAttribute('data-ready', 'true');
  await page.getByLabel('Assignment title').fill('Same numbers for all');
  await page.getByRole('checkbox', { name: /own numbers/ }).uncheck();
  await page.getByRole('checkbox', { name: 'What must the pilot rule out' }).check();
  await expect(page.locator('[data-builder-status]')).toContainText('Assignment id');
  const link = await page.getByLabel('Assignment link').inputValue();
  await page.evaluate(() => localStorage.setItem('mlsdl.student-code', 'old code'));
  await page.goto(link);
  await expect(student).toHaveAttribute('data-ready', 'true');
  await expect(student.getByRole('status').filter({ hasText: 'was cleared' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('mlsdl.student-code'))).toBeNull();
  await expect(page.getByLabel(/Your code/)).toHaveCount(0);
});

test('the builder, the student page and the dashboard have no axe violation', async ({ page }) => {
  const { link } = await buildAssignment(page);
  expect(await axeViolations(page)).toEqual([]);
  await page.goto(link);
  await expect(page.locator('[data-assignment-page]')).toHaveAttribute('data-ready', 'true');
  expect(await axeViolations(page)).toEqual([]);
  await page.goto(DASHBOARD);
  await expect(page.locator('[data-dashboard]')).toHaveAttribute('data-ready', 'true');
  // The file picker is reachable by keyboard: it takes focus and opens on Space.
  const input = page.locator('#dashboard-files-input');
  await input.focus();
  await expect(input).toBeFocused();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.keyboard.press('Space'),
  ]);
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') });
  await expect(page.locator('[data-refused="notes.txt"]')).toContainText('not JSON');
  expect(await axeViolations(page)).toEqual([]);
});
