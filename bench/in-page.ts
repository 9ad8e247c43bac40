/**
 * What the benchmark records inside the page. {@link installBenchProbes} is handed to
 * `page.addInitScript`, so it runs before any of the page's own scripts: Playwright sends it as
 * source text, hence it must not close over anything outside its body.
 *
 * It records, with performance.now() (ms since navigation start):
 * - every main-thread long task (PerformanceObserver 'longtask', buffered);
 * - the timestamp of every animation frame (a requestAnimationFrame loop);
 * - every change of the training sandbox's data-status / data-result;
 * - when the Train button became enabled, when it was clicked (optionally clicking it at once),
 *   when the status line first read "Ready." and when data-result first showed epochs ≥ 1.
 */

/** A main-thread task of 50 ms or more. */
export interface LongTaskEntry {
  startMs: number;
  durationMs: number;
}

/** One observed state of the sandbox's contract attributes. */
export interface SandboxSnapshot {
  atMs: number;
  status: string;
  result: string;
}

/** Everything {@link installBenchProbes} records, at `window.__bench`. */
export interface BenchPageState {
  longTaskSupported: boolean;
  longTasks: LongTaskEntry[];
  /** requestAnimationFrame timestamps, in order. */
  frameTimesMs: number[];
  snapshots: SandboxSnapshot[];
  trainEnabledAtMs: number | null;
  trainClickedAtMs: number | null;
  readyAtMs: number | null;
  firstEpochAtMs: number | null;
  /** Whether the sandbox was in the viewport when the page finished parsing. */
  sandboxInViewAtDomContentLoaded: boolean | null;
}

/** How the probes behave on this page. */
export interface BenchProbeOptions {
  /** Click Train in the same microtask in which it becomes enabled. */
  autoTrain: boolean;
  /** Scroll the sandbox into view at DOMContentLoaded, as a link to it would. */
  scrollToSandbox: boolean;
}

/** The init script. Self-contained: Playwright serialises it to text. */
export function installBenchProbes(options: BenchProbeOptions): void {
  const state: BenchPageState = {
    longTaskSupported: false,
    longTasks: [],
    frameTimesMs: [],
    snapshots: [],
    trainEnabledAtMs: null,
    trainClickedAtMs: null,
    readyAtMs: null,
    firstEpochAtMs: null,
    sandboxInViewAtDomContentLoaded: null,
  };
  (window as unknown as { __bench: BenchPageState }).__bench = state;

  try {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        state.longTasks.push({ startMs: entry.startTime, durationMs: entry.duration });
      }
    });
    observer.observe({ type: 'longtask', buffered: true });
    state.longTaskSupported = true;
  } catch {
    state.longTaskSupported = false;
  }

  const onFrame = (timestamp: number): void => {
    state.frameTimesMs.push(timestamp);
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);

  let lastStatus = '';
  let lastResult = '';
  const check = (): void => {
    const sandbox = document.querySelector('[data-sandbox="training"]');
    if (!sandbox) return;
    const now = performance.now();
    const status = sandbox.getAttribute('data-status') ?? '';
    const result = sandbox.getAttribute('data-result') ?? '';
    if (status !== lastStatus || result !== lastResult) {
      lastStatus = status;
      lastResult = result;
      state.snapshots.push({ atMs: now, status, result });
      if (state.firstEpochAtMs === null) {
        try {
          const parsed = JSON.parse(result) as { epochs?: unknown };
          if (typeof parsed.epochs === 'number' && parsed.epochs >= 1) state.firstEpochAtMs = now;
        } catch {
          // Not JSON yet.
        }
      }
    }
    if (state.readyAtMs === null) {
      const runState = sandbox.querySelector('[role="status"]');
      if (runState?.textContent?.trim() === 'Ready.') state.readyAtMs = now;
    }
    if (state.trainEnabledAtMs === null) {
      const train = Array.from(sandbox.querySelectorAll('button')).find(
        (button) => button.textContent?.trim() === 'Train',
      );
      if (train && !train.disabled) {
        state.trainEnabledAtMs = now;
        if (options.autoTrain) {
          state.trainClickedAtMs = performance.now();
          train.click();
        }
      }
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });

  document.addEventListener('DOMContentLoaded', () => {
    const sandbox = document.querySelector('[data-sandbox="training"]');
    if (!sandbox) return;
    const rect = sandbox.getBoundingClientRect();
    state.sandboxInViewAtDomContentLoaded = rect.top < innerHeight && rect.bottom > 0;
    if (options.scrollToSandbox) sandbox.scrollIntoView({ block: 'start' });
    check();
  });
}
