/**
 * Every sandbox by keyboard alone (WCAG 2.1.1, 2.4.7): from the top of the sandbox, Tab reaches
 * every enabled control in it, each shows a visible focus indicator when it takes focus, one
 * control of each kind is reached by Tab and answers its key (Space ticks a box, an arrow moves
 * a select, radio group, slider or number field, Enter opens a <details>), and Enter on the main
 * action starts the sandbox. The sandboxes' own specs test what their controls mean; this one
 * tests that all of them can be reached and used without a mouse.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Where each sandbox lives; the training pages get short runs. */
const SANDBOXES: { id: string; path: string }[] = [
  { id: 'ads', path: '/lessons/01-business-objectives/' },
  { id: 'training', path: '/lessons/02-ml-vs-business-metrics/?epochs=2&rows=2000&backend=cpu' },
  { id: 'threshold', path: '/lessons/02-ml-vs-business-metrics/' },
  { id: 'model-pair', path: '/lessons/02-ml-vs-business-metrics/' },
  { id: 'take-rate', path: '/lessons/03-company-metrics/' },
  { id: 'batch-online', path: '/lessons/03-company-metrics/' },
  { id: 'ab-test', path: '/lessons/04-ab-tests/' },
  { id: 'returns', path: '/lessons/05-realistic-returns/' },
  { id: 'drift-monitor', path: '/lessons/06-reliability/' },
  { id: 'scaling', path: '/lessons/07-scalability/' },
  { id: 'model-count', path: '/lessons/07-scalability/' },
  { id: 'pipeline-bisect', path: '/lessons/08-maintainability/' },
  { id: 'run-registry', path: '/lessons/08-maintainability/?epochs=2&rows=2000&backend=cpu' },
  { id: 'rollout', path: '/lessons/09-adaptability/' },
];

/** One stop of the Tab walk: what took focus and whether its focus can be seen. */
interface Stop {
  inside: boolean;
  key: string;
  kind: string;
  indicator: boolean;
}

/** Puts focus at the top of the sandbox, so the next Tab goes to its first control. */
async function focusTop(sandbox: Locator): Promise<void> {
  await sandbox.evaluate((root) => {
    root.setAttribute('tabindex', '-1');
    (root as HTMLElement).focus();
  });
}

/** Describes the focused element; data-kb-key names it so a later walk can find it again. */
async function focusedStop(page: Page, sandbox: Locator): Promise<Stop> {
  const root = await sandbox.elementHandle();
  return page.evaluate((rootEl) => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || !rootEl || !rootEl.contains(el) || el === rootEl) {
      return { inside: false, key: '', kind: '', indicator: false };
    }
    if (!el.dataset['kbKey']) el.dataset['kbKey'] = String(Math.random()).slice(2);
    const tag = el.tagName.toLowerCase();
    const type = el.getAttribute('type') ?? '';
    const kind =
      tag === 'input'
        ? type || 'text'
        : tag === 'button' || tag === 'select' || tag === 'summary' || tag === 'a'
          ? tag
          : `${tag}[tabindex]`;
    // The ring may be drawn on the control or, for a field hidden inside a label drawn as a
    // button, on that label (:focus-within).
    const shows = (node: Element): boolean => {
      const style = getComputedStyle(node);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      return outline || style.boxShadow !== 'none';
    };
    const label = el.closest('label');
    const indicator =
      el.matches(':focus-visible') && (shows(el) || (label !== null && shows(label)));
    return { inside: true, key: el.dataset['kbKey']!, kind, indicator };
  }, root);
}

/** Tabs from the top of the sandbox until focus leaves it; every stop on the way. */
async function tabWalk(page: Page, sandbox: Locator): Promise<Stop[]> {
  await focusTop(sandbox);
  const stops: Stop[] = [];
  for (let step = 0; step < 150; step++) {
    await page.keyboard.press('Tab');
    const stop = await focusedStop(page, sandbox);
    if (!stop.inside) return stops;
    stops.push(stop);
  }
  throw new Error('Tab never left the sandbox');
}

/**
 * Presses Tab from the top of the sandbox until the control with this key has focus (for a
 * radio, any radio of its group: the checked one takes the group's Tab stop).
 */
async function tabTo(page: Page, sandbox: Locator, key: string): Promise<void> {
  const keys = await sandbox.locator(`[data-kb-key="${key}"]`).evaluate((el) => {
    const group =
      el instanceof HTMLInputElement && el.type === 'radio' && el.name
        ? [...document.querySelectorAll<HTMLElement>(`input[type="radio"][name="${el.name}"]`)]
        : [el as HTMLElement];
    for (const radio of group) radio.dataset['kbKey'] ??= String(Math.random()).slice(2);
    return group.map((radio) => radio.dataset['kbKey']!);
  });
  await focusTop(sandbox);
  for (let step = 0; step < 150; step++) {
    await page.keyboard.press('Tab');
    const stop = await focusedStop(page, sandbox);
    if (keys.includes(stop.key)) return;
    if (!stop.inside) break;
  }
  const name = await sandbox
    .locator(`[data-kb-key="${key}"]`)
    .evaluate((el) => `<${el.tagName.toLowerCase()}> ${el.outerHTML.slice(0, 120)}`);
  throw new Error(`Tab did not reach ${name}`);
}

/** The enabled, visible controls a keyboard user must be able to reach (one per radio group). */
async function reachableControls(sandbox: Locator): Promise<{ key: string; name: string }[]> {
  return sandbox.evaluate((root) => {
    const selector =
      'button, a[href], input:not([type="hidden"]), select, textarea, summary, [tabindex="0"]';
    const radioGroups = new Set<string>();
    const names: { key: string; name: string }[] = [];
    for (const el of root.querySelectorAll<HTMLElement>(selector)) {
      if ((el as HTMLInputElement).disabled || el.closest('fieldset:disabled')) continue;
      if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
      const box = el.getBoundingClientRect();
      const hiddenInLabel = box.width <= 1 && el.closest('label') !== null;
      if ((box.width === 0 || box.height === 0) && !hiddenInLabel) continue;
      if (el instanceof HTMLInputElement && el.type === 'radio') {
        // Tab stops once in a group: on its checked radio, or on the first when none is.
        const checked = root.querySelector(`input[type="radio"][name="${el.name}"]:checked`);
        if (radioGroups.has(el.name) || (checked && checked !== el)) continue;
        radioGroups.add(el.name);
      }
      if (!el.dataset['kbKey']) el.dataset['kbKey'] = String(Math.random()).slice(2);
      const name =
        el.getAttribute('aria-label') ?? el.closest('label')?.textContent ?? el.textContent;
      names.push({
        key: el.dataset['kbKey'],
        name: `<${el.tagName.toLowerCase()}> ${(name ?? '').trim().slice(0, 40)}`,
      });
    }
    return names;
  });
}

/** Waits until a change made by a key has been computed (the controls are enabled again). */
async function settle(sandbox: Locator): Promise<void> {
  await expect(sandbox).not.toHaveAttribute('data-status', 'running', { timeout: 60_000 });
}

/**
 * Reaches the first control of a kind by Tab, presses its key and checks that it answered, then
 * presses the opposite key so the sandbox is left as it was.
 */
async function operate(page: Page, sandbox: Locator, stop: Stop): Promise<void> {
  const control = sandbox.locator(`[data-kb-key="${stop.key}"]`);
  const read = (): Promise<string> =>
    control.evaluate((el) => {
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
        const group = el.name
          ? [...document.querySelectorAll<HTMLInputElement>(`input[name="${el.name}"]`)]
          : [el];
        return group.map((radio) => String(radio.checked)).join();
      }
      if (el.tagName === 'SUMMARY') return String((el.parentElement as HTMLDetailsElement).open);
      return (el as HTMLInputElement).value;
    });
  const keys: Record<string, [string, string]> = {
    checkbox: ['Space', 'Space'],
    radio: ['ArrowDown', 'ArrowUp'],
    select: ['ArrowDown', 'ArrowUp'],
    number: ['ArrowUp', 'ArrowDown'],
    range: ['ArrowRight', 'ArrowLeft'],
    summary: ['Enter', 'Enter'],
  };
  const pair = keys[stop.kind];
  if (!pair) return;
  await tabTo(page, sandbox, stop.key);
  const before = await read();
  let [press, undo] = pair;
  await page.keyboard.press(press);
  if ((await read()) === before) {
    // At the end of its range (the last option, the maximum): the other way.
    [press, undo] = [undo, press];
    await page.keyboard.press(press);
  }
  expect(await read(), `${stop.kind} answers ${press}`).not.toBe(before);
  await settle(sandbox);
  await tabTo(page, sandbox, stop.key);
  await page.keyboard.press(undo);
  await expect.poll(read).toBe(before);
  await settle(sandbox);
}

/** The sandbox's main action, when it has one, and the status that shows it started. */
function mainAction(sandbox: Locator, id: string): Locator | null {
  if (id === 'returns' || id === 'model-count') return null;
  if (id === 'threshold') return sandbox.getByRole('button', { name: 'Use a built-in model' });
  if (id === 'run-registry') return sandbox.getByRole('button', { name: /^Reproduce / }).first();
  return sandbox.locator('button.lab-button.primary').first();
}

for (const { id, path } of SANDBOXES) {
  test(`${id}: every control by Tab, each with a visible focus ring, and the main action by Enter`, async ({
    page,
  }) => {
    await page.goto(path);
    const sandbox = page.locator(`[data-sandbox="${id}"]`);
    if (id === 'run-registry') {
      // A run to reproduce: the training sandbox above records one.
      const training = page.locator('[data-sandbox="training"]');
      await training.scrollIntoViewIfNeeded();
      await expect(training.getByRole('status').filter({ hasText: 'Ready.' })).toBeVisible({
        timeout: 60_000,
      });
      await training.getByRole('button', { name: 'Train' }).click();
      await expect(training).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
      await sandbox.scrollIntoViewIfNeeded();
      await expect(sandbox.getByRole('button', { name: /^Reproduce / }).first()).toBeVisible();
    }
    await sandbox.scrollIntoViewIfNeeded();
    if (id === 'training') {
      await expect(sandbox.getByRole('status').filter({ hasText: 'Ready.' })).toBeVisible({
        timeout: 60_000,
      });
    } else await expect(sandbox).toHaveAttribute('data-ready', 'true');
    await settle(sandbox);

    const expected = await reachableControls(sandbox);
    const stops = await tabWalk(page, sandbox);
    const reached = new Set(stops.map((stop) => stop.key));
    expect(
      expected.filter(({ key }) => !reached.has(key)).map(({ name }) => name),
      'controls Tab never reaches',
    ).toEqual([]);
    expect(
      stops.filter((stop) => !stop.indicator).map((stop) => stop.kind),
      'controls focused with no visible indicator',
    ).toEqual([]);

    const kinds = new Map<string, Stop>();
    for (const stop of stops) if (!kinds.has(stop.kind)) kinds.set(stop.kind, stop);
    for (const stop of kinds.values()) await operate(page, sandbox, stop);

    const action = mainAction(sandbox, id);
    if (action) {
      const key = await action.evaluate((el) => (el as HTMLElement).dataset['kbKey'] ?? '');
      expect(key, 'the main action is reached by Tab').not.toBe('');
      await tabTo(page, sandbox, key);
      await expect(action).toBeFocused();
      // It started: data-status went to running, or the result changed.
      await sandbox.evaluate((root) => {
        root.removeAttribute('data-kb-started');
        new MutationObserver((records, observer) => {
          if (root.getAttribute('data-status') === 'running' || records.length > 0) {
            root.setAttribute('data-kb-started', 'true');
            observer.disconnect();
          }
        }).observe(root, { attributes: true, attributeFilter: ['data-status', 'data-result'] });
      });
      await page.keyboard.press('Enter');
      await expect(sandbox).toHaveAttribute('data-kb-started', 'true');
      if (id !== 'model-pair') {
        await expect(sandbox).toHaveAttribute('data-status', /^(done|error)$/, {
          timeout: 90_000,
        });
        await expect(sandbox).toHaveAttribute('data-status', 'done');
      }
    }
  });
}
