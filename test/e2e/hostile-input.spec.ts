/**
 * Hostile links and files in a real browser. A small deterministic generator makes 40 lesson
 * and assignment URLs with bad sandbox parameters, prototype-polluting keys, junk fragments and
 * `#a=` junk; each page must render, every sandbox on it must hydrate and stay usable, each bad
 * sandbox parameter must be named in a notice, nothing may pollute a prototype, and the saved
 * progress must stay byte-identical. Then hostile files go through the progress page's import.
 * The fixtures fail any test that logs a console error or sends a request off the machine.
 */
import type { Page } from '@playwright/test';
import { expect, test, waitUntilReady } from './fixtures';

/** The progress key (components/course/progress-client.ts) and the lesson-visit key. */
const PROGRESS_KEY = 'mlsdl.progress';
const SEEN_KEY = 'mlsdl.seen';

/** Lessons with their sandboxes and, per sandbox, the link parameters it reads. */
const LESSONS: { path: string; sandboxes: Record<string, readonly string[]> }[] = [
  {
    path: '/lessons/01-business-objectives/',
    sandboxes: {
      ads: ['ads.seed', 'ads.impressions', 'ads.reserveUsdPerThousand', 'ads.recalibration'],
    },
  },
  {
    path: '/lessons/02-ml-vs-business-metrics/',
    // The training sandbox keeps its own scheme: `?seed=…&lr=…`.
    sandboxes: {
      training: ['seed', 'lr', 'epochs', 'model', 'hidden'],
      threshold: [],
      'model-pair': [],
    },
  },
  {
    path: '/lessons/03-company-metrics/',
    sandboxes: {
      'take-rate': ['take-rate.seed', 'take-rate.members', 'take-rate.current'],
      'batch-online': ['batch-online.users', 'batch-online.k', 'batch-online.onlineModel'],
    },
  },
  {
    path: '/lessons/04-ab-tests/',
    sandboxes: { 'ab-test': ['ab-test.usersPerArm', 'ab-test.alpha', 'ab-test.modelA'] },
  },
  {
    path: '/lessons/05-realistic-returns/',
    sandboxes: {
      returns: ['returns.seed', 'returns.trafficPerMonth.low', 'returns.buildCostUsd.high'],
    },
  },
  {
    path: '/lessons/06-reliability/',
    sandboxes: {
      'drift-monitor': ['drift-monitor.days', 'drift-monitor.fault1Kind', 'drift-monitor.seed'],
    },
  },
  {
    path: '/lessons/07-scalability/',
    sandboxes: {
      scaling: ['scaling.requestsPerDay', 'scaling.day', 'scaling.aReplicas'],
      'model-count': ['model-count.customers', 'model-count.approach'],
    },
  },
  {
    path: '/lessons/08-maintainability/',
    // The run registry reads no link parameters; its list is covered by run-registry.spec.
    sandboxes: {
      'pipeline-bisect': [
        'pipeline-bisect.seed',
        'pipeline-bisect.incident',
        'pipeline-bisect.features',
      ],
      training: ['seed', 'epochs', 'batch'],
    },
  },
  {
    path: '/lessons/09-adaptability/',
    sandboxes: { rollout: ['rollout.days', 'rollout.canaryPercent', 'rollout.faultKind'] },
  },
];

/** Values no input accepts: not numbers, not any enum's value, too long, not finite. */
const BAD_VALUES = [
  'NaN',
  'abc',
  '1e999',
  '-Infinity',
  '',
  '   ',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'x'.repeat(250),
  '%E0%A4%A',
  '__proto__',
  '[object Object]',
  '\u0000\u202e',
  '١٢',
  '0x10',
];

/** Parameters that try to reach a prototype, and plain junk. */
const JUNK_PARAMETERS: [string, string][] = [
  ['__proto__[polluted]', 'yes'],
  ['__proto__.polluted', 'yes'],
  ['constructor[prototype][polluted]', 'yes'],
  ['constructor.prototype.polluted', 'yes'],
  ['ads.__proto__', '{"polluted":"yes"}'],
  ['returns.constructor', 'yes'],
  ['toString', '1'],
  ['', ''],
  ['a'.repeat(300), 'b'.repeat(300)],
];

/** Fragments that are not anchors of the page. */
const JUNK_FRAGMENTS = [
  '',
  '#',
  '#a=',
  '#a=%%%',
  '#__proto__',
  '#<img src=x onerror=alert(1)>',
  '#%E0%A4%A',
  `#${'z'.repeat(3000)}`,
];

/** `#a=` junk for the assignment page: not base64url, cut off, not JSON, not an assignment. */
const ASSIGNMENT_FRAGMENTS = [
  '#a=',
  '#a=%%%',
  '#a=!!!!',
  '#a=eyJmb3JtYXQiOiJtbHNkbC1h',
  '#a=e30',
  '#a=W10',
  '#a=bnVsbA',
  '#a=eyJfX3Byb3RvX18iOnsicG9sbHV0ZWQiOiJ5ZXMifX0',
  `#a=${'A'.repeat(25_000)}`,
  '#b=1&a=\u0000',
];

/** mulberry32: a tiny seeded generator, so the 40 cases are the same on every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface HostileCase {
  name: string;
  url: string;
  /** The sandboxes on the page, and per sandbox the parameters a notice must name. */
  expectNamed: Record<string, string[]>;
  assignment: boolean;
}

function makeCases(count: number, seed: number): HostileCase[] {
  const next = generator(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const cases: HostileCase[] = [];
  for (let i = 0; i < count; i += 1) {
    if (i % 7 === 6) {
      const fragment = pick(ASSIGNMENT_FRAGMENTS);
      const query = next() < 0.5 ? '' : `?${new URLSearchParams([pick(JUNK_PARAMETERS)])}`;
      cases.push({
        name: `assignment ${i}: ${fragment.slice(0, 30)}`,
        url: `/instructors/assignment/${query}${fragment}`,
        expectNamed: {},
        assignment: true,
      });
      continue;
    }
    const lesson = LESSONS[i % LESSONS.length]!;
    const params = new URLSearchParams();
    const expectNamed: Record<string, string[]> = {};
    for (const [sandbox, names] of Object.entries(lesson.sandboxes)) {
      expectNamed[sandbox] = [];
      if (names.length === 0 || next() < 0.25) continue;
      const name = pick(names);
      if (params.has(name)) continue;
      params.append(name, pick(BAD_VALUES));
      expectNamed[sandbox].push(name);
    }
    const junkCount = Math.floor(next() * 3);
    for (let j = 0; j < junkCount; j += 1) params.append(...pick(JUNK_PARAMETERS));
    const fragment = pick(JUNK_FRAGMENTS);
    const query = params.toString();
    cases.push({
      name: `lesson ${i}: ${lesson.path} ${query.slice(0, 50)}`,
      url: `${lesson.path}${query ? `?${query}` : ''}${fragment}`,
      expectNamed,
      assignment: false,
    });
  }
  return cases;
}

const CASES = makeCases(40, 20261127);

/** Every lesson seen at a fixed time, as a learner who has been through the course has it. */
const SEEN = JSON.stringify(
  Object.fromEntries(
    LESSONS.map((lesson) => lesson.path.split('/')[2]!).map((slug) => [
      slug,
      '2026-11-01T10:00:00.000Z',
    ]),
  ),
);

/** The stored progress the store itself writes for {@link SEEN}, found once. */
let storedProgress: string | null = null;

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(
    ([key, value]) => {
      if (localStorage.getItem(key) === null) localStorage.setItem(key, value);
    },
    [SEEN_KEY, SEEN] as const,
  );
  await page.goto('/progress/');
  await expect(page.locator('[data-progress-page]')).toHaveAttribute(
    'data-progress-loaded',
    'true',
  );
  storedProgress = await page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY);
  await context.close();
});

/** Seeds the saved progress before any script of the page runs. */
async function seedProgress(page: Page): Promise<void> {
  expect(storedProgress, 'the store wrote the seeded progress').not.toBeNull();
  await page.addInitScript(
    ([entries]) => {
      for (const [key, value] of entries) {
        if (localStorage.getItem(key) === null) localStorage.setItem(key, value);
      }
    },
    [
      [
        [PROGRESS_KEY, storedProgress!],
        [SEEN_KEY, SEEN],
      ],
    ] as const,
  );
}

async function expectNoPollution(page: Page): Promise<void> {
  const polluted = await page.evaluate(() => ({
    object: ({} as Record<string, unknown>)['polluted'],
    keys: Object.keys(Object.prototype),
  }));
  expect(polluted).toEqual({ keys: [] });
}

for (const hostile of CASES) {
  test(`hostile link — ${hostile.name}`, async ({ page }) => {
    await seedProgress(page);
    await page.goto(hostile.url);
    await expect(page.locator('main')).toBeVisible();

    if (hostile.assignment) {
      const root = page.locator('[data-ready]').first();
      await expect(root).toHaveAttribute('data-ready', 'true');
      const refusal = page.getByRole('alert');
      // An empty `#a=` or a fragment without `a=` is refused like any other junk.
      await expect(refusal.first()).toBeVisible();
      await expect(refusal.first()).not.toHaveText(/undefined|\[object Object\]|NaN/);
    } else {
      for (const [id, named] of Object.entries(hostile.expectNamed)) {
        const sandbox = page.locator(`[data-sandbox="${id}"]`);
        await sandbox.scrollIntoViewIfNeeded();
        if (id === 'training') {
          await waitUntilReady(page);
          await expect(sandbox.getByRole('button', { name: 'Train' })).toBeEnabled();
        } else {
          await expect(sandbox).toHaveAttribute('data-ready', 'true');
          await expect(sandbox.locator('button.lab-button:enabled').first()).toBeVisible();
        }
        await expect(sandbox).not.toHaveAttribute('data-status', 'running', { timeout: 60_000 });
        for (const name of named) {
          const notice = sandbox.getByText(id === 'training' ? `${name}=` : name).first();
          await expect(notice, `a notice names ${name}`).toBeVisible();
        }
      }
    }

    await expectNoPollution(page);
    expect(await page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY)).toBe(
      storedProgress,
    );
  });
}

test('a run after a hostile link writes clean parameters and keeps the others', async ({
  page,
}) => {
  await page.goto(
    '/lessons/01-business-objectives/?ads.seed=NaN&ads.reserveUsdPerThousand=2&other=%3Cx%3E',
  );
  const sandbox = page.locator('[data-sandbox="ads"]');
  await sandbox.scrollIntoViewIfNeeded();
  await expect(sandbox).toHaveAttribute('data-ready', 'true');
  await expect(sandbox.getByRole('alert')).toContainText('ads.seed');
  await sandbox.getByRole('button', { name: 'Run' }).click();
  await expect(sandbox).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const search = new URL(page.url()).searchParams;
  expect(search.get('ads.reserveUsdPerThousand')).toBe('2');
  expect(search.has('ads.seed')).toBe(false);
  expect(search.get('other')).toBe('<x>');
  await expect(sandbox.getByRole('alert')).toHaveCount(0);
});

test('a hostile student code in storage leaves the exercises working', async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem(
      'mlsdl.student-code',
      `{"__proto__":{"polluted":1}}\u0000${'x'.repeat(5000)}`,
    );
  });
  await page.goto('/lessons/05-realistic-returns/');
  const exercise = page.locator('[data-exercise]').first();
  await exercise.scrollIntoViewIfNeeded();
  await expect(exercise).toHaveAttribute('data-ready', 'true');
  await expect(exercise).toHaveAttribute('data-exercise-status', /^(open|passed|failed)$/);
  await expectNoPollution(page);
});

/** Hostile files for the progress page's import control. */
const HOSTILE_IMPORTS: { name: string; text: string; says: RegExp }[] = [
  { name: 'notes.json', text: '{"hello":"world"}', says: /not a progress export/ },
  {
    name: 'broken.json',
    text: '{"format":"mlsdl-progress","version":2,"progress":{',
    says: /not JSON/,
  },
  {
    name: 'deep.json',
    text: `{"format":"mlsdl-progress","version":2,"progress":{"version":2,"lessons":{},"exercises":{},"receipts":{"x":{"inputs":${'['.repeat(200_000)}1${']'.repeat(200_000)}}}}}`,
    says: /levels deep/,
  },
  {
    name: 'proto.json',
    text: '{"format":"mlsdl-progress","version":2,"progress":{"__proto__":{"polluted":"yes"},"version":2,"lessons":{"a":{"seen":"yes"}},"exercises":{},"receipts":{}}}',
    says: /damaged/,
  },
  {
    name: 'future.json',
    text: '{"format":"mlsdl-progress","version":99,"progress":{}}',
    says: /newer version/,
  },
  // The browser drops one byte-order mark and the import the other: an empty object is left.
  { name: 'bom.json', text: '\uFEFF\uFEFF{}', says: /not a progress export/ },
];

test('hostile progress files are refused and change nothing', async ({ page }) => {
  await seedProgress(page);
  await page.goto('/progress/');
  await expect(page.locator('[data-progress-page]')).toHaveAttribute(
    'data-progress-loaded',
    'true',
  );
  for (const file of HOSTILE_IMPORTS) {
    await page.locator('#progress-import-file').setInputFiles({
      name: file.name,
      mimeType: 'application/json',
      buffer: Buffer.from(file.text),
    });
    const refusal = page.locator('[data-progress-import-refused]');
    await expect(refusal).toContainText(file.name);
    await expect(refusal).toContainText(file.says);
    await expect(refusal).toContainText('Nothing was imported');
    expect(await page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY)).toBe(
      storedProgress,
    );
  }
  // Prototype keys are dropped by the schema, never applied (even with a bad value under them):
  // nothing new, nothing changed.
  await page.locator('#progress-import-file').setInputFiles({
    name: 'proto-ok.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      '{"format":"mlsdl-progress","version":2,"progress":{"__proto__":{"polluted":"yes"},"version":2,"lessons":{"__proto__":{"seen":"yes"}},"exercises":{},"receipts":{}}}',
    ),
  });
  await expect(page.locator('[data-progress-transfer]')).toContainText(
    'This browser already had everything in it.',
  );
  expect(await page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY)).toBe(
    storedProgress,
  );
  await expectNoPollution(page);
});
