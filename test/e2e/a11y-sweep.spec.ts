/**
 * Accessibility sweep, WCAG 2.2 AA: every page of the built site, in light mode on a laptop-wide
 * window and in dark mode on a 375 px phone. On each, axe (WCAG 2.0/2.1 A and AA, 2.2 AA) must
 * find nothing, first as the page loads, then in each sandbox after it has shown its results with
 * every <details> open. On the phone, the page must not scroll sideways and every control of the
 * sandboxes and exercises must be a 24 × 24 px target (or spaced as WCAG 2.5.8 allows). Every
 * chart must be an image with a name or be hidden beside a text or table alternative.
 * The fixtures fail a test on any console error or request that leaves the machine.
 */
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { builtPages } from './site-pages';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PHONE = { width: 375, height: 812 };
const LAPTOP = { width: 1280, height: 900 };

/** Short training runs, read by the training sandbox from the address (2 epochs on 2,000 rows). */
const QUICK_TRAINING = '?epochs=2&rows=2000&backend=cpu';

/** The built HTML of a page, to see which sandboxes it holds before loading it. */
function builtHtml(path: string): string {
  const outDir = (process.env['MLSDL_OUT_DIR'] ?? 'dist').replace(/^\.\//, '');
  const file = path.endsWith('.html') ? path : `${path}index.html`;
  return readFileSync(new URL(`../../${outDir}${file}`, import.meta.url), 'utf8');
}

/** One line per violation: rule, impact and the elements it names. */
async function axeViolations(page: Page, scope?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  if (scope) builder = builder.include(scope);
  const { violations } = await builder.analyze();
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Waits until a sandbox has hydrated (and, for training, until its worker is ready). */
async function waitForSandbox(sandbox: Locator, id: string): Promise<void> {
  await sandbox.scrollIntoViewIfNeeded();
  if (id === 'training') {
    await expect(sandbox.getByRole('status').filter({ hasText: 'Ready.' })).toBeVisible({
      timeout: 60_000,
    });
  } else {
    await expect(sandbox).toHaveAttribute('data-ready', 'true');
  }
}

/**
 * Brings a sandbox to its results: presses its main actions (Run, Train, Run simulation) in
 * order, or what stands for them, and waits for data-status done after each. The returns and
 * model-count sandboxes compute as they hydrate.
 */
async function showResults(sandbox: Locator, id: string): Promise<void> {
  const done = (): Promise<void> =>
    expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  if (id === 'returns' || id === 'model-count') return;
  if (id === 'threshold') {
    // It prices the training sandbox's run when there was one; otherwise a built-in model.
    const builtIn = sandbox.getByRole('button', { name: 'Use a built-in model' });
    if ((await sandbox.getAttribute('data-status')) === 'idle' && (await builtIn.isVisible())) {
      await builtIn.click();
    }
    return done();
  }
  if (id === 'run-registry') {
    // The training sandbox above it has just recorded a run.
    const reproduce = sandbox.getByRole('button', { name: /^Reproduce / }).first();
    await reproduce.click();
    return done();
  }
  const actions = sandbox.locator('button.lab-button.primary');
  for (let index = 0; index < (await actions.count()); index++) {
    await actions.nth(index).click();
    await done();
  }
}

/** Opens every <details> inside the element (hints, tables behind charts, notes). */
async function openDetails(scope: Locator): Promise<void> {
  await scope.evaluate((root) => {
    for (const details of root.querySelectorAll('details')) details.open = true;
  });
}

/**
 * Every svg and canvas inside the element that is neither a named image (role="img" with a
 * name, on itself or an ancestor) nor hidden from assistive technology beside an alternative
 * (a table or list in its figure, or the words of the legend item, button or label it sits in).
 */
async function chartsWithoutAlternative(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const named = (el: Element): boolean =>
      (el.getAttribute('aria-label') ?? '').trim().length > 0 ||
      (el.getAttribute('aria-labelledby') ?? '').trim().length > 0;
    const problems: string[] = [];
    for (const chart of root.querySelectorAll('svg, canvas')) {
      const image = chart.closest('[role="img"]');
      if (image && named(image)) continue;
      if (chart.closest('[aria-hidden="true"]')) {
        // A legend's swatch beside its words, or a chart whose figure holds its data as a
        // table, a list or a description list.
        const legend = chart.closest('li, button, a, label');
        if (legend && (legend.textContent ?? '').trim().length > 0) continue;
        const figure = chart.closest('figure');
        if (figure?.querySelector('table, ol:not([aria-hidden="true"]), dl')) continue;
      }
      const where = chart.closest('[class]')?.className ?? '';
      problems.push(`${chart.tagName.toLowerCase()} in .${String(where).split(' ')[0]}`);
    }
    return problems;
  });
}

/**
 * The controls of the sandboxes and exercises on a phone: each visible button, link, field,
 * select and summary must be at least 24 × 24 CSS px, or spaced as WCAG 2.5.8 allows (a circle of
 * 24 px diameter on its centre touches no other target nor another small target's circle), or be
 * a link inside a sentence. None may reach past the screen's edge unless it sits in a container
 * that scrolls sideways (a wide table).
 */
async function smallOrClippedTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector =
      'button, a[href], input:not([type="hidden"]), select, textarea, summary, [tabindex="0"]';
    // Sticky and fixed bars (the header, the phone's "On this page") float over the content as
    // it scrolls; they are not the controls' neighbours.
    const floating = (el: HTMLElement): boolean => {
      for (let node: HTMLElement | null = el; node; node = node.parentElement) {
        const position = getComputedStyle(node).position;
        if (position === 'fixed' || position === 'sticky') return true;
      }
      return false;
    };
    const all = [...document.querySelectorAll<HTMLElement>(selector)].filter((el) => {
      const box = el.getBoundingClientRect();
      return (
        box.width > 0 &&
        box.height > 0 &&
        getComputedStyle(el).visibility !== 'hidden' &&
        !floating(el)
      );
    });
    // A visually hidden field inside its label (a file picker drawn as a button): the label
    // is what a pointer hits.
    const targetBox = (el: HTMLElement): DOMRect => {
      const box = el.getBoundingClientRect();
      const label = el.closest('label');
      return box.width <= 1 && box.height <= 1 && label ? label.getBoundingClientRect() : box;
    };
    const boxes = new Map(all.map((el) => [el, targetBox(el)]));
    const small = (box: DOMRect): boolean => box.width < 23.99 || box.height < 23.99;
    const centre = (box: DOMRect): [number, number] => [
      box.left + box.width / 2,
      box.top + box.height / 2,
    ];
    const distanceToBox = ([x, y]: [number, number], box: DOMRect): number =>
      Math.hypot(
        Math.max(box.left - x, 0, x - box.right),
        Math.max(box.top - y, 0, y - box.bottom),
      );
    const inSentence = (el: HTMLElement): boolean => {
      if (el.tagName !== 'A') return false;
      const block = el.closest('p, li, dd, td, figcaption, small, span');
      return !!block && (block.textContent ?? '').trim().length > (el.textContent ?? '').length;
    };
    const describe = (el: HTMLElement, box: DOMRect): string => {
      const name =
        el.getAttribute('aria-label') ??
        (el.textContent ?? '').trim().slice(0, 30) ??
        el.getAttribute('name');
      const where = el.closest('[data-sandbox], [data-exercise]');
      const owner =
        where?.getAttribute('data-sandbox') ?? where?.getAttribute('data-exercise') ?? '';
      return `${owner}: <${el.tagName.toLowerCase()}${el.getAttribute('type') ? ` type=${el.getAttribute('type')}` : ''}> "${name}" ${Math.round(box.width)}×${Math.round(box.height)} at ${Math.round(box.left)},${Math.round(box.top)}`;
    };
    const scrollsSideways = (el: HTMLElement): boolean => {
      for (let node = el.parentElement; node; node = node.parentElement) {
        if (node === document.documentElement || node === document.body) return false;
        const overflow = getComputedStyle(node).overflowX;
        if ((overflow === 'auto' || overflow === 'scroll') && node.scrollWidth > node.clientWidth)
          return true;
      }
      return false;
    };
    const problems: string[] = [];
    for (const el of all) {
      if (!el.closest('[data-sandbox], [data-exercise]')) continue;
      const box = boxes.get(el)!;
      if ((box.left < -0.5 || box.right > innerWidth + 0.5) && !scrollsSideways(el)) {
        problems.push(`off screen: ${describe(el, box)}`);
      }
      if (!small(box) || inSentence(el)) continue;
      const c = centre(box);
      const crowded = all.find((other) => {
        if (other === el || other.contains(el) || el.contains(other)) return false;
        const otherBox = boxes.get(other)!;
        if (distanceToBox(c, otherBox) < 12) return true;
        if (!small(otherBox)) return false;
        const [ox, oy] = centre(otherBox);
        return Math.hypot(ox - c[0], oy - c[1]) < 24;
      });
      if (crowded) {
        problems.push(
          `small and crowded: ${describe(el, box)}, by ${describe(crowded, boxes.get(crowded)!)}`,
        );
      }
    }
    return problems;
  });
}

/** Number and text fields of the sandboxes and exercises too narrow to show their value. */
async function clippedFields(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLInputElement>(
        ':is([data-sandbox], [data-exercise]) input:is([type="number"], [type="text"], :not([type]))',
      ),
    ]
      // Two pixels for the caret.
      .filter((input) => input.offsetWidth > 0 && input.scrollWidth > input.clientWidth + 2)
      .map((input) => {
        const where = input.closest('[data-sandbox]')?.getAttribute('data-sandbox') ?? 'exercise';
        return `${where}: "${input.value}" needs ${input.scrollWidth} px, has ${input.clientWidth}`;
      }),
  );
}

const pages = builtPages();

for (const [theme, viewport] of [
  ['light', LAPTOP],
  ['dark', PHONE],
] as const) {
  test.describe(`${theme} mode, ${viewport.width} px wide`, () => {
    test.use({ viewport });

    for (const path of pages) {
      const phoneChecks =
        viewport.width === PHONE.width ? ', no sideways scroll, 24 px targets' : '';
      test(`${path}: axe clean before and after every sandbox shows results${phoneChecks}`, async ({
        page,
      }) => {
        const html = builtHtml(path);
        const query = html.includes('data-sandbox="training"') ? QUICK_TRAINING : '';
        await page.addInitScript((chosen) => {
          localStorage.setItem('starlight-theme', chosen);
        }, theme);
        await page.goto(`${path}${query}`);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(page.locator('main')).toBeVisible();
        if (viewport.width === PHONE.width) {
          // As served, before the sandboxes below the fold hydrate.
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          expect(scrollWidth, 'the page scrolls sideways as loaded').toBeLessThanOrEqual(
            PHONE.width,
          );
        }

        const sandboxes = await page.locator('[data-sandbox]').all();
        for (const sandbox of sandboxes) {
          await waitForSandbox(sandbox, (await sandbox.getAttribute('data-sandbox')) ?? '');
        }
        expect(await axeViolations(page), 'axe, as loaded').toEqual([]);

        for (const sandbox of sandboxes) {
          const id = (await sandbox.getAttribute('data-sandbox')) ?? '';
          await sandbox.scrollIntoViewIfNeeded();
          await showResults(sandbox, id);
          await openDetails(sandbox);
          expect(await chartsWithoutAlternative(sandbox), `${id}: charts`).toEqual([]);
          expect(await axeViolations(page, `[data-sandbox="${id}"]`), `${id}: axe`).toEqual([]);
        }

        // Everything open: the exercises' hints and the lessons' own <details> too.
        await openDetails(page.locator('.sl-markdown-content'));
        expect(await axeViolations(page), 'axe, with results and details open').toEqual([]);

        if (viewport.width === PHONE.width) {
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          expect(scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(PHONE.width);
          expect(await smallOrClippedTargets(page)).toEqual([]);
          expect(await clippedFields(page), 'fields that cut their value off').toEqual([]);
        }
      });
    }
  });
}

/** Elements (and ::before/::after) whose computed transition or animation lasts. */
async function movingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const lasts = (value: string): boolean => value.split(',').some((part) => parseFloat(part) > 0);
    for (const el of document.querySelectorAll('*')) {
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(el, pseudo);
        const transition = lasts(style.transitionDuration) && style.transitionProperty !== 'none';
        const animation = lasts(style.animationDuration) && style.animationName !== 'none';
        if (transition || animation) {
          found.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class')}${pseudo ?? ''}`);
        }
      }
    }
    return [...new Set(found)];
  });
}

test('with reduced motion asked for, nothing moves: no transition or animation lasts', async ({
  page,
}) => {
  // Without the wish, the outline's cards and Starlight's carets do move.
  await page.goto('/');
  expect((await movingElements(page)).length).toBeGreaterThan(0);

  await page.emulateMedia({ reducedMotion: 'reduce' });
  for (const path of ['/', '/lessons/02-ml-vs-business-metrics/']) {
    await page.goto(path);
    await expect(page.locator('main')).toBeVisible();
    expect(await movingElements(page), path).toEqual([]);
    expect(
      await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior),
    ).toBe('auto');
  }
});
