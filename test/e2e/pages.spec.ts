import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { builtPages } from './site-pages';

const pages = builtPages();

test('the sitemap lists the home page and the written lessons', () => {
  expect(pages).toContain('/');
  expect(pages).toContain('/lessons/01-business-objectives/');
  expect(pages).toContain('/lessons/02-ml-vs-business-metrics/');
  expect(pages).toContain('/lessons/03-company-metrics/');
  expect(pages).toContain('/lessons/04-ab-tests/');
  expect(pages).toContain('/lessons/05-realistic-returns/');
  expect(pages).toContain('/lessons/06-reliability/');
  expect(pages).toContain('/lessons/07-scalability/');
  expect(pages).toContain('/lessons/08-maintainability/');
  expect(pages).toContain('/lessons/09-adaptability/');
});

for (const path of pages) {
  test(`${path} loads with no console error, no external request and no axe violation`, async ({
    page,
  }) => {
    await page.goto(path);
    await expect(page.locator('main')).toBeVisible();
    // Let islands hydrate and the training worker start where there is one.
    await page.waitForLoadState('networkidle');
    // Hydrate every sandbox on the page so axe sees them as a learner does.
    for (const sandbox of await page.locator('[data-sandbox]').all()) {
      await sandbox.scrollIntoViewIfNeeded();
      if ((await sandbox.getAttribute('data-sandbox')) === 'training') {
        await expect(sandbox.getByRole('status').filter({ hasText: 'Ready.' })).toBeVisible();
      } else {
        await expect(sandbox).toHaveAttribute('data-ready', 'true');
      }
    }
    const { violations } = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
}

test('the home page outlines all nine lessons, each one linked', async ({ page }) => {
  await page.goto('/');
  const outline = page.getByRole('list', { name: /course outline/i });
  await expect(outline.getByRole('listitem')).toHaveCount(9);
  await expect(outline.getByRole('link')).toHaveCount(9);
  await expect(outline.getByText('Coming')).toHaveCount(0);
});

test('the sidebar lists the lessons in order', async ({ page }) => {
  await page.goto('/lessons/01-business-objectives/');
  const links = page.locator('nav[aria-label="Main"] a[href^="/lessons/"]');
  await expect(links).toHaveText([
    /^\s*1\. /,
    /^\s*2\. /,
    /^\s*3\. /,
    /^\s*4\. /,
    /^\s*5\. /,
    /^\s*6\. /,
    /^\s*7\. /,
    /^\s*8\. /,
    /^\s*9\. /,
  ]);
});

test('search works offline, from the built index', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Search' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('input.pagefind-ui__search-input').fill('take-rate');
  await expect(dialog.getByRole('link').first()).toBeVisible();
  await dialog.locator('input.pagefind-ui__search-input').fill('confusion matrix');
  await expect(
    dialog.locator('a[href*="/lessons/02-ml-vs-business-metrics/"]').first(),
  ).toBeVisible();
});

test('dark mode can be chosen and is remembered', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Select theme' }).first().selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});
