/**
 * The scalability lab in the browser (lesson 7), for `npm run bench`:
 *
 * 1. the analytic mode: after a change of one input, how long until the lab shows the new
 *    analytic days (worker round trip; the worker computes both configurations);
 * 2. the request-level mode on a Friday of 10 million requests (no spike; A is 100 GPUs, B the
 *    autoscaler, the lab's defaults otherwise): Run → result, with the worker's own
 *    stage times (arrivals, configuration A, configuration B) read from data-result;
 * 3. the page meanwhile: every main-thread long task (PerformanceObserver 'longtask') and the
 *    largest gap between animation frames during the run.
 *
 * It prints figures; nothing here passes or fails. Run on its own against a build:
 *   MLSDL_OUT_DIR=dist-sc node bench/scaling-page.ts
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromiumArgs, chromiumExecutablePath } from '../test/e2e/browser.ts';
import { startStaticServer } from './static-server.ts';

const LESSON_7 = '/lessons/07-scalability/';
const SANDBOX = '[data-sandbox="scaling"]';
const ANALYTIC_CHANGES = 12;
const RUNS = 2;
const RUN_TIMEOUT_MS = 120_000;

/** One request-level run of the 10-million-request day. */
export interface ScalingPageRun {
  requests: number;
  /** Click on Run → data-status "done", ms. */
  clickToDoneMs: number;
  /** The worker's stage times, ms. */
  arrivalsMs: number;
  configurationAMs: number;
  configurationBMs: number;
  /** Long tasks (≥ 50 ms) on the main thread during the run. */
  longTasks: number;
  longestTaskMs: number;
  /** Largest gap between two animation frames during the run, ms. */
  largestFrameGapMs: number;
  /** Progress reports seen (distinct <progress> values). */
  progressSteps: number;
}

/** What this bench measured, or why it could not. */
export interface ScalingPageBench {
  measured: boolean;
  note: string | null;
  /** Input change → analytic days shown, ms (each of ANALYTIC_CHANGES changes). */
  analyticRoundTripMs: number[];
  runs: ScalingPageRun[];
}

interface Probe {
  longTasks: { startMs: number; durationMs: number }[];
  frames: number[];
  progress: number[];
}

/** Installed before the page's scripts: long tasks, frames and progress values. Self-contained. */
function installProbe(): void {
  const probe: Probe = { longTasks: [], frames: [], progress: [] };
  (window as unknown as { __scalingProbe: Probe }).__scalingProbe = probe;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        probe.longTasks.push({ startMs: entry.startTime, durationMs: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // Not supported: no long tasks recorded.
  }
  const onFrame = (t: number): void => {
    probe.frames.push(t);
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  new MutationObserver(() => {
    const bar = document.querySelector<HTMLProgressElement>('#scaling-progress');
    if (bar && probe.progress[probe.progress.length - 1] !== bar.value)
      probe.progress.push(bar.value);
  }).observe(document, { subtree: true, childList: true, attributes: true });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted.length === 0 ? NaN : (sorted[Math.floor(sorted.length / 2)] as number);
};

async function readResult(page: Page): Promise<Record<string, unknown>> {
  const text = await page.locator(SANDBOX).getAttribute('data-result');
  return JSON.parse(text ?? '{}') as Record<string, unknown>;
}

async function waitForStatus(page: Page, status: string, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    ([selector, wanted]) =>
      document.querySelector(selector!)?.getAttribute('data-status') === wanted,
    [SANDBOX, status],
    { timeout: timeoutMs, polling: 10 },
  );
}

/** Measures the lab on `origin` (a server over a build that has lesson 7). */
export async function measureScalingPage(
  browser: Browser,
  origin: string,
): Promise<ScalingPageBench> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    // Pages are measured without the service worker's background download of the whole course.
    serviceWorkers: 'block',
  });
  await context.addInitScript(installProbe);
  const page = await context.newPage();
  try {
    const response = await page.goto(origin + LESSON_7);
    if (!response?.ok() || (await page.locator(SANDBOX).count()) === 0) {
      return {
        measured: false,
        note: `no scaling lab at ${LESSON_7} in this build`,
        analyticRoundTripMs: [],
        runs: [],
      };
    }
    const sandbox = page.locator(SANDBOX);
    await sandbox.scrollIntoViewIfNeeded();
    await waitForStatus(page, 'done');

    // 1. Analytic round trips: alternate B's target utilisation.
    const target = sandbox
      .getByRole('group', { name: 'Configuration B' })
      .getByLabel('Target utilisation (%)');
    const analyticRoundTripMs: number[] = [];
    for (let k = 0; k < ANALYTIC_CHANGES; k++) {
      const value = String(k % 2 === 0 ? 55 : 60);
      await target.fill(value);
      const startMs = await page.evaluate(() => performance.now());
      await page.waitForFunction(
        ([selector, wanted]) => {
          const el = document.querySelector(selector!);
          if (el?.getAttribute('data-status') !== 'done') return false;
          const result = JSON.parse(el.getAttribute('data-result') ?? '{}') as Record<
            string,
            unknown
          >;
          return result['input.bTargetUtilisationPercent'] === Number(wanted);
        },
        [SANDBOX, value],
        { polling: 'raf' },
      );
      analyticRoundTripMs.push((await page.evaluate(() => performance.now())) - startMs);
    }

    // 2–3. The 10-million-request day, request by request.
    // A Friday (weekly factor 1.0) without the launch: about 10.0 million requests.
    await sandbox.getByLabel('Requests per day (type a value)').fill('10000000');
    await sandbox.getByLabel('Day of the week').selectOption('friday');
    await sandbox.getByLabel('A traffic spike (a launch, a campaign)').uncheck();
    await sandbox.getByLabel(/Request by request: simulate/).check();
    const runs: ScalingPageRun[] = [];
    for (let r = 0; r < RUNS; r++) {
      if (r > 0) await sandbox.getByLabel('Seed', { exact: true }).fill(String(100 + r));
      await page.evaluate(() => {
        const probe = (window as unknown as { __scalingProbe: Probe }).__scalingProbe;
        probe.progress = [];
      });
      const clickMs = await page.evaluate(() => performance.now());
      await sandbox.getByRole('button', { name: 'Run' }).click();
      await waitForStatus(page, 'running', 10_000);
      await page.waitForFunction(
        (selector) => {
          const el = document.querySelector(selector);
          const result = JSON.parse(el?.getAttribute('data-result') ?? '{}') as Record<
            string,
            unknown
          >;
          return el?.getAttribute('data-status') === 'done' && result['mode'] === 'request-level';
        },
        SANDBOX,
        { timeout: RUN_TIMEOUT_MS, polling: 10 },
      );
      const doneMs = await page.evaluate(() => performance.now());
      const probe = await page.evaluate(
        () => (window as unknown as { __scalingProbe: Probe }).__scalingProbe,
      );
      const result = await readResult(page);
      const during = probe.longTasks.filter(
        (task) => task.startMs + task.durationMs >= clickMs && task.startMs <= doneMs,
      );
      const frames = probe.frames.filter((t) => t >= clickMs && t <= doneMs);
      let gap = 0;
      for (let i = 1; i < frames.length; i++)
        gap = Math.max(gap, (frames[i] as number) - (frames[i - 1] as number));
      runs.push({
        requests: Number(result['requests']),
        clickToDoneMs: doneMs - clickMs,
        arrivalsMs: Number(result['run.arrivalsMs']),
        configurationAMs: Number(result['run.aMs']),
        configurationBMs: Number(result['run.bMs']),
        longTasks: during.length,
        longestTaskMs: Math.max(0, ...during.map((task) => task.durationMs)),
        largestFrameGapMs: gap,
        progressSteps: new Set(probe.progress).size,
      });
    }
    return { measured: true, note: null, analyticRoundTripMs, runs };
  } finally {
    await context.close();
  }
}

/** The lines `npm run bench` prints for this section. */
export function renderScalingPage(bench: ScalingPageBench): string[] {
  const out = [
    '6b. Scaling lab in the page (lesson 7): worker round trips and a 10-million-request day',
  ];
  if (!bench.measured) return [...out, `not measured: ${bench.note ?? 'unknown reason'}`];
  const ms = (v: number): string => `${v.toFixed(0)} ms`;
  out.push(
    `analytic mode, input change → both days shown (${bench.analyticRoundTripMs.length} changes): median ${ms(median(bench.analyticRoundTripMs))}, max ${ms(Math.max(...bench.analyticRoundTripMs))}`,
  );
  for (const [i, run] of bench.runs.entries()) {
    out.push(
      `request-level run ${i + 1}: ${run.requests.toLocaleString('en-US')} requests, Run → done ${ms(run.clickToDoneMs)} (worker: arrivals ${ms(run.arrivalsMs)}, A ${ms(run.configurationAMs)}, B ${ms(run.configurationBMs)}); main thread meanwhile: ${run.longTasks} long tasks, longest ${ms(run.longestTaskMs)}, largest frame gap ${ms(run.largestFrameGapMs)}; ${run.progressSteps} progress values shown`,
    );
  }
  return out;
}

// Run on its own against a build: MLSDL_OUT_DIR=dist-sc node bench/scaling-page.ts
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const server = await startStaticServer(join(root, process.env['MLSDL_OUT_DIR'] ?? 'dist'));
  const browser = await chromium.launch({
    args: chromiumArgs,
    ...(chromiumExecutablePath ? { executablePath: chromiumExecutablePath } : {}),
  });
  try {
    console.log(`Chromium ${browser.version()}`);
    console.log(renderScalingPage(await measureScalingPage(browser, server.origin)).join('\n'));
  } finally {
    await browser.close();
    await server.close();
  }
}
