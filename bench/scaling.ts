/**
 * Benchmark of the scalability lab's engine (src/lib/scaling), run on its own:
 *
 *   node bench/scaling.ts          (Node ≥ 23.6 for type stripping; `npx node bench/scaling.ts`
 *                                   uses the project's Node 24)
 *
 * It bundles src/lib/scaling with esbuild (as bench/run.ts bundles the reference MLP), loads the
 * bundle and measures, in one process:
 *
 * 1. a day of about 10 million requests (Friday of the default traffic profile at 10 000 000
 *    requests a day): drawing the arrival times (thinning), then simulating them request by
 *    request — a fixed fleet and the HPA — with exact p50/p95/p99;
 * 2. baselines in the same run: plain loops drawing the same number of exponentials, through
 *    random.ts's `rng.next()` and through the block reader the engine uses;
 * 3. the analytic day at one-minute resolution (fixed fleet and HPA), warm and cold.
 *
 * Targets: the simulated day ≤ 1.5 s, the analytic day ≤ 10 ms. Each heavy measurement is
 * repeated and the best and median wall times are printed, with the process's CPU time for the
 * day (the machine may be shared). Nothing is written to disk except the temporary bundle.
 *
 * `npm run bench` (bench/run.ts) calls {@link runScalingEngineBench} too, so one command prints
 * this section with the browser measurements; run on its own, this file prints only it.
 */
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Scaling from '../src/lib/scaling/index.ts';
import type * as Random from '../src/lib/random.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPEATS = 3;
const ANALYTIC_RUNS = 50;
const SIM_TARGET_MS = 1500;
const ANALYTIC_TARGET_MS = 10;

type Engine = typeof Scaling & Pick<typeof Random, 'createRng'>;

async function loadEngine(): Promise<{ engine: Engine; cleanup: () => Promise<void> }> {
  const entry = `export * from ${JSON.stringify(join(ROOT, 'src/lib/scaling/index.ts'))};
export { createRng } from ${JSON.stringify(join(ROOT, 'src/lib/random.ts'))};`;
  const output = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
    tsconfig: join(ROOT, 'tsconfig.json'),
  });
  const file = output.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for src/lib/scaling');
  const dir = await mkdtemp(join(tmpdir(), 'scaling-bench-'));
  const path = join(dir, 'scaling.mjs');
  await writeFile(path, file.text);
  const engine = (await import(pathToFileURL(path).href)) as Engine;
  return { engine, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Wall time and this process's CPU time (user + system) of fn, ms. */
function time<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

function stats(samples: number[]): { best: number; median: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { best: sorted[0] as number, median: sorted[Math.floor(sorted.length / 2)] as number };
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2)).padStart(8);

/** The figures of one run of this bench (ms unless named otherwise). */
export interface ScalingEngineBench {
  node: string;
  requests: number;
  arrivalsMs: { best: number; median: number };
  fixedFleetMs: { best: number; median: number };
  hpaMs: { best: number; median: number };
  baselineRngNextMs: { best: number; median: number };
  baselineBlockReaderMs: { best: number; median: number };
  simulationOverBaseline: { fixed: number; hpa: number };
  analyticDay: { plan: string; coldMs: number; bestMs: number; medianMs: number }[];
  ratesPerMinuteMs: { best: number; median: number };
}

/**
 * Runs the measurements of the module comment, printing each line through `say`, and returns
 * the figures.
 */
export async function runScalingEngineBench(
  say: (line: string) => void = (line) => console.log(line),
): Promise<ScalingEngineBench> {
  const { engine, cleanup } = await loadEngine();
  const {
    createRng,
    defaultTrafficProfile,
    generateArrivalTimes,
    simulateRequests,
    ratesPerMinute,
    analyticDay,
    defaultHpaConfig,
    UniformStream,
    CHAPTER_PEAK_SCENARIO,
  } = engine;
  say(`scaling bench · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);

  // 1. The 10-million-request day (Friday: weekly factor 1.0 → ≈ 10.0 M requests).
  const profile = defaultTrafficProfile(10_000_000);
  const dayStart = 4 * 86_400;
  const service = {
    fixedS: 0.004,
    perItemS: 0.001,
    maxBatch: 1,
    distribution: 'exponential' as const,
    cv: 1,
  };
  const cpuTotals: number[] = [];
  const arrivalTimes: number[] = [];
  const fixedTimes: number[] = [];
  const hpaTimes: number[] = [];
  const plainTimes: number[] = [];
  const blockTimes: number[] = [];
  let count = 0;
  let fixedP99 = 0;
  let hpaP99 = 0;
  let hpaPeak = 0;
  let sink = 0;
  for (let r = 0; r < REPEATS; r++) {
    const arrivals = time(() =>
      generateArrivalTimes(profile, createRng(r + 1), dayStart, dayStart + 86_400),
    );
    arrivalTimes.push(arrivals.ms);
    count = arrivals.value.count;
    const base = {
      arrivals: arrivals.value,
      service,
      startupDelayS: 60,
      queueLimit: Infinity,
      startS: dayStart,
      endS: dayStart + 86_400,
      sloP99Ms: 50,
    };
    const fixed = time(() =>
      simulateRequests({ ...base, capacity: { kind: 'fixed', replicas: 4 } }, createRng(100 + r)),
    );
    fixedTimes.push(fixed.ms);
    cpuTotals.push(arrivals.cpuMs + fixed.cpuMs);
    fixedP99 = fixed.value.p99Ms;
    const hpa = time(() =>
      simulateRequests(
        {
          ...base,
          capacity: {
            kind: 'autoscaler',
            hpa: defaultHpaConfig(1, 20, 0.6),
            initialReplicas: 2,
            metric: 'utilisation',
          },
        },
        createRng(200 + r),
      ),
    );
    hpaTimes.push(hpa.ms);
    hpaP99 = hpa.value.p99Ms;
    hpaPeak = hpa.value.peakProvisionedReplicas;

    // 2. Baselines: the same number of exponential draws, nothing else.
    const rng = createRng(300 + r);
    const plain = time(() => {
      let s = 0;
      for (let i = 0; i < count; i++) s -= Math.log(1 - rng.next());
      return s;
    });
    plainTimes.push(plain.ms);
    const stream = new UniformStream(createRng(400 + r), 'bench');
    const block = time(() => {
      let s = 0;
      for (let i = 0; i < count; i++) s += stream.exponential();
      return s;
    });
    blockTimes.push(block.ms);
    sink += plain.value + block.value;
  }

  // 3. The analytic day.
  const rates = ratesPerMinute(CHAPTER_PEAK_SCENARIO.traffic, 0);
  const analyticInput = (capacity: Scaling.AnalyticCapacity): Scaling.AnalyticDayInput => ({
    ratesPerMinute: rates,
    serviceTimeMeanS: CHAPTER_PEAK_SCENARIO.serviceTimeMeanS,
    startupDelayS: CHAPTER_PEAK_SCENARIO.startupDelayS,
    capacity,
    sloP99Ms: CHAPTER_PEAK_SCENARIO.sloP99Ms,
  });
  const analyticPlans = CHAPTER_PEAK_SCENARIO.plans.map((plan) => ({
    label: plan.label,
    input: analyticInput(plan.capacity),
  }));
  const analyticRows: string[][] = [];
  const analyticFigures: ScalingEngineBench['analyticDay'] = [];
  let analyticWorstMedian = 0;
  for (const plan of analyticPlans) {
    const cold = time(() => analyticDay(plan.input)).ms;
    const warm: number[] = [];
    for (let k = 0; k < ANALYTIC_RUNS; k++) warm.push(time(() => analyticDay(plan.input)).ms);
    const s = stats(warm);
    analyticWorstMedian = Math.max(analyticWorstMedian, s.median);
    analyticRows.push([plan.label, fmt(cold), fmt(s.best), fmt(s.median)]);
    analyticFigures.push({ plan: plan.label, coldMs: cold, bestMs: s.best, medianMs: s.median });
  }
  const ratesMs = stats(
    Array.from(
      { length: 20 },
      () => time(() => ratesPerMinute(CHAPTER_PEAK_SCENARIO.traffic, 0)).ms,
    ),
  );

  const a = stats(arrivalTimes);
  const f = stats(fixedTimes);
  const h = stats(hpaTimes);
  const p = stats(plainTimes);
  const b = stats(blockTimes);
  say('');
  say(`A day of ${count.toLocaleString('en')} requests, request by request (${REPEATS} runs; ms)`);
  say(`${'step'.padEnd(58)}${'best'.padStart(8)}${'median'.padStart(8)}`);
  const row = (label: string, s: { best: number; median: number }): void =>
    say(`${label.padEnd(58)}${fmt(s.best)}${fmt(s.median)}`);
  row('arrival times (thinning)', a);
  row(`simulation, fixed fleet of 4 (p99 ${fixedP99.toFixed(1)} ms)`, f);
  row(`simulation, HPA 1–20 at 60% (p99 ${hpaP99.toFixed(1)} ms, peak ${hpaPeak})`, h);
  row('arrivals + fixed-fleet simulation', {
    best: a.best + f.best,
    median: a.median + f.median,
  });
  row('baseline: same count of exponentials via rng.next()', p);
  row('baseline: same count of exponentials via the block reader', b);
  const cpu = stats(cpuTotals);
  say(
    `CPU time of arrivals + fixed-fleet simulation: best ${cpu.best.toFixed(0)} ms, median ${cpu.median.toFixed(0)} ms (wall above; the gap is other load)`,
  );
  say(
    `simulation / plain-loop baseline: ${(f.median / p.median).toFixed(2)}× (fixed), ${(h.median / p.median).toFixed(2)}× (HPA)`,
  );
  say('');
  say(`Analytic day, 1 440 minutes (${ANALYTIC_RUNS} warm runs; ms)`);
  say(`${'plan'.padEnd(58)}${'cold'.padStart(8)}${'best'.padStart(8)}${'median'.padStart(8)}`);
  for (const r of analyticRows) say(`${(r[0] ?? '').padEnd(58)}${r[1]}${r[2]}${r[3]}`);
  say(
    `${'per-minute rates of the day (ratesPerMinute)'.padEnd(58)}${''.padStart(8)}${fmt(ratesMs.best)}${fmt(ratesMs.median)}`,
  );
  say('');
  const simPass = a.median + f.median <= SIM_TARGET_MS;
  const anaPass = analyticWorstMedian <= ANALYTIC_TARGET_MS;
  say(
    `${simPass ? 'PASS' : 'MISS'}  10 M-request day (arrivals + simulation, median) ≤ ${SIM_TARGET_MS} ms: ${(a.median + f.median).toFixed(0)} ms`,
  );
  say(
    `${anaPass ? 'PASS' : 'MISS'}  analytic day (slowest plan, median) ≤ ${ANALYTIC_TARGET_MS} ms: ${analyticWorstMedian.toFixed(2)} ms`,
  );
  if (!Number.isFinite(sink)) say('(sink)');
  await cleanup();
  return {
    node: process.version,
    requests: count,
    arrivalsMs: a,
    fixedFleetMs: f,
    hpaMs: h,
    baselineRngNextMs: p,
    baselineBlockReaderMs: b,
    simulationOverBaseline: { fixed: f.median / p.median, hpa: h.median / p.median },
    analyticDay: analyticFigures,
    ratesPerMinuteMs: ratesMs,
  };
}

// Run on its own (`node bench/scaling.ts`), not when bench/run.ts imports it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runScalingEngineBench();
}
