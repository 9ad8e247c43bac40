/**
 * Benchmark of the drift lab's statistics engine (src/lib/drift), run on its own:
 *
 *   node bench/drift.ts          (Node ≥ 23.6 for type stripping; `npx node bench/drift.ts`
 *                                 uses the project's Node 24)
 *
 * It bundles src/lib/drift and the fraud data generator with esbuild (as bench/scaling.ts
 * does), loads the bundle and measures, in one process:
 *
 * 1. the two-sample KS test on 10,000 vs 10,000 values (copy, sort, merge walk and the exact
 *    p-value), and 1,000 vs 10,000 (the monitor's small-reference case: exact lattice-path
 *    p-value for unequal sizes); baseline: copying and sorting the same two samples;
 * 2. a full monitoring pass over one day's window of 10,000 card payments, the 14 encoded
 *    columns of the fraud data (6 numeric, 8 binary), against a prepared reference:
 *    Evidently's default tests with a 1,000-row reference (KS, z-test) — on an ordinary day and
 *    on a strongly drifted one, with and without the monitor's KS work budget — and with a
 *    20,000-row reference (normed Wasserstein, Jensen–Shannon), and every detector on every column
 *    (KS, Wasserstein, Jensen–Shannon, PSI on numeric columns; chi-square, z-test,
 *    Jensen–Shannon, PSI on binary ones); baseline: copying and sorting the 14 columns;
 * 3. the confidence-based performance estimate over 10,000 scores.
 *
 * Targets: KS 10k × 10k ≤ 5 ms; the full pass ≤ 20 ms. Each measurement is repeated and the
 * best and median wall times are printed (the machine may be shared). Nothing is written to
 * disk except the temporary bundle.
 */
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Drift from '../src/lib/drift/index.ts';
import type * as Features from '../src/lib/data/fraud-features.ts';
import type * as Fraud from '../src/lib/data/fraud.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 40;
const KS_TARGET_MS = 5;
const PASS_TARGET_MS = 20;
const DAY_ROWS = 10_000;

type Engine = typeof Drift &
  Pick<typeof Fraud, 'generateTransactions'> &
  Pick<typeof Features, 'encodeTransactions' | 'FRAUD_FEATURE_NAMES' | 'FRAUD_FEATURE_COUNT'>;

async function loadEngine(): Promise<{ engine: Engine; cleanup: () => Promise<void> }> {
  const entry = `export * from ${JSON.stringify(join(ROOT, 'src/lib/drift/index.ts'))};
export { generateTransactions } from ${JSON.stringify(join(ROOT, 'src/lib/data/fraud.ts'))};
export { encodeTransactions, FRAUD_FEATURE_NAMES, FRAUD_FEATURE_COUNT } from ${JSON.stringify(join(ROOT, 'src/lib/data/fraud-features.ts'))};`;
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
  if (!file) throw new Error('esbuild produced no output for src/lib/drift');
  const dir = await mkdtemp(join(tmpdir(), 'drift-bench-'));
  const path = join(dir, 'drift.mjs');
  await writeFile(path, file.text);
  const engine = (await import(pathToFileURL(path).href)) as Engine;
  return { engine, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Best and median wall time of `runs` calls of fn, ms, after two warm-up calls. */
function measure(fn: () => unknown, runs = RUNS): { best: number; median: number } {
  fn();
  fn();
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { best: samples[0] as number, median: samples[Math.floor(samples.length / 2)] as number };
}

const fmt = (ms: number): string => ms.toFixed(2).padStart(8);

async function main(): Promise<void> {
  const { engine, cleanup } = await loadEngine();
  const {
    generateTransactions,
    encodeTransactions,
    FRAUD_FEATURE_NAMES,
    FRAUD_FEATURE_COUNT,
    ksTest,
    prepareReference,
    checkDrift,
    estimatePerformance,
  } = engine;
  console.log(
    `drift bench · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
  );

  /** The encoded columns of `rows` payments drawn with `seed`. */
  const columnsOf = (
    rows: number,
    seed: string,
    fraudRate: number,
  ): Record<string, Float64Array> => {
    const matrix = encodeTransactions(generateTransactions({ rows, seed, fraudRate }));
    const columns: Record<string, Float64Array> = {};
    FRAUD_FEATURE_NAMES.forEach((name, c) => {
      const column = new Float64Array(rows);
      for (let r = 0; r < rows; r++) column[r] = matrix[r * FRAUD_FEATURE_COUNT + c] as number;
      columns[name] = column;
    });
    return columns;
  };
  const binary = new Set(['cardPresent', 'foreignCountry']);
  const specs: Drift.ColumnSpec[] = FRAUD_FEATURE_NAMES.map((name) => ({
    name,
    kind: binary.has(name) || name.startsWith('merchant=') ? 'binary' : 'numeric',
  }));
  const bigReference = columnsOf(20_000, 'bench-reference', 0.01);
  const smallReference = columnsOf(1000, 'bench-reference-small', 0.01);
  // The day under watch: a fraud wave (5% instead of 1%) shifts several columns a little.
  const day = columnsOf(DAY_ROWS, 'bench-day', 0.05);

  const rows: Array<[string, { best: number; median: number }]> = [];
  const say = (label: string, t: { best: number; median: number }): void => {
    rows.push([label, t]);
    console.log(`${label.padEnd(64)}${fmt(t.best)}${fmt(t.median)}`);
  };
  console.log('');
  console.log(`${'step (ms)'.padEnd(64)}${'best'.padStart(8)}${'median'.padStart(8)}`);

  // 1. KS on 10,000 vs 10,000 (amounts of two different samples).
  const ref10k = bigReference.log1pAmountUsd?.subarray(0, 10_000) as Float64Array;
  const cur10k = day.log1pAmountUsd as Float64Array;
  const ks = ksTest(ref10k, cur10k);
  const ks10k = measure(() => ksTest(ref10k, cur10k));
  say(
    `KS 10k × 10k (D ${ks.statistic.toFixed(4)}, p ${ks.pValue.toExponential(2)}, ${ks.method})`,
    ks10k,
  );
  const sortBoth = measure(() => {
    Float64Array.from(ref10k).sort();
    Float64Array.from(cur10k).sort();
  });
  say('baseline: copy and sort the same two samples', sortBoth);
  const ref1k = smallReference.log1pAmountUsd as Float64Array;
  const ks1k = ksTest(ref1k, cur10k);
  say(
    `KS 1k × 10k (D ${ks1k.statistic.toFixed(4)}, p ${ks1k.pValue.toExponential(2)}, ${ks1k.method})`,
    measure(() => ksTest(ref1k, cur10k)),
  );

  // 2. Monitoring passes over the day.
  const preparedSmall = prepareReference(specs, smallReference);
  const preparedBig = prepareReference(specs, bigReference);
  const small = checkDrift(preparedSmall, day);
  const big = checkDrift(preparedBig, day);
  const passSmall = measure(() => checkDrift(preparedSmall, day));
  say(`pass, 1k reference (KS, z): ${small.driftedColumns}/14 drifted`, passSmall);
  // A strongly drifted day: every numeric column shifted by half its range, so KS p-values
  // underflow and the exact lattice-path computation would be at its slowest.
  const driftedDay: Record<string, Float64Array> = { ...day };
  for (const spec of specs) {
    if (spec.kind !== 'numeric') continue;
    const column = day[spec.name] as Float64Array;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of column) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    driftedDay[spec.name] = column.map((v) => v + (hi - lo) / 2);
  }
  const smallDrifted = checkDrift(preparedSmall, driftedDay);
  say(
    `pass, 1k reference, strongly drifted day: ${smallDrifted.driftedColumns}/14 drifted`,
    measure(() => checkDrift(preparedSmall, driftedDay)),
  );
  say(
    '  the same without the KS work budget (SciPy-exact digits)',
    measure(() => checkDrift(preparedSmall, driftedDay, { ksMaxExactSteps: Infinity }), 10),
  );
  const passBig = measure(() => checkDrift(preparedBig, day));
  say(`pass, 20k reference (Wasserstein, JS): ${big.driftedColumns}/14 drifted`, passBig);
  const allMethods: Array<[Drift.DriftMethod, Drift.DriftMethod[]]> = [
    ['ks', ['ks', 'wasserstein', 'jensen-shannon', 'psi']],
    ['z-test', ['chi-square', 'z-test', 'jensen-shannon', 'psi']],
  ];
  const everyDetector = (): number => {
    let drifted = 0;
    for (const column of preparedBig.columns) {
      const methods = (column.spec.kind === 'numeric' ? allMethods[0] : allMethods[1])?.[1] ?? [];
      const sorted = engine.sortedFinite(day[column.spec.name] as Float64Array);
      for (const method of methods) {
        if (engine.checkColumnSorted(column, sorted, { method }).drifted) drifted++;
      }
    }
    return drifted;
  };
  const passAll = measure(everyDetector);
  say(`pass, 20k reference, every detector (${everyDetector()}/56 verdicts drift)`, passAll);
  const sortColumns = measure(() => {
    for (const name of FRAUD_FEATURE_NAMES) Float64Array.from(day[name] as Float64Array).sort();
  });
  say('baseline: copy and sort the 14 day columns', sortColumns);

  // 3. Performance estimate over a day of scores.
  const scores = new Float64Array(DAY_ROWS);
  for (let i = 0; i < DAY_ROWS; i++) scores[i] = ((i * 0.6180339887498949) % 1) ** 3;
  say(
    'confidence-based estimate over 10k scores',
    measure(() => estimatePerformance(scores)),
  );

  console.log('');
  const ksPass = ks10k.median <= KS_TARGET_MS;
  const worstPass = Math.max(passSmall.median, passBig.median, passAll.median);
  console.log(
    `${ksPass ? 'PASS' : 'MISS'}  KS 10k × 10k (median) ≤ ${KS_TARGET_MS} ms: ${ks10k.median.toFixed(2)} ms (${(ks10k.median / sortBoth.median).toFixed(2)}× the sort baseline)`,
  );
  console.log(
    `${worstPass <= PASS_TARGET_MS ? 'PASS' : 'MISS'}  full monitoring pass, slowest variant (median) ≤ ${PASS_TARGET_MS} ms: ${worstPass.toFixed(2)} ms (${(worstPass / sortColumns.median).toFixed(2)}× the sort baseline)`,
  );
  await cleanup();
}

await main();
