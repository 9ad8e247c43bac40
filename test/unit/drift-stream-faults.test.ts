import { describe, expect, it } from 'vitest';
import { FRAUD_FEATURE_NAMES } from '@lib/data/fraud-features';
import {
  FAULT_KINDS,
  FAULT_KIND_INFO,
  faultIntensity,
  featureColumnIndex,
  fraudRateOnDay,
  requestHashUnit,
  resolveFault,
  resolveFaults,
  staleSnapshotOf,
  tiltKeepProbability,
  type FaultSpec,
  type MonitorFamily,
} from '@lib/drift/faults';
import { createProductionStream, type ProductionDay } from '@lib/drift/stream';
import { simulateProduction } from '@lib/drift/rollout';
import { createTestMonitor, deployLogistic, trainLogisticScorer } from './drift-stream-fixtures';

const N = 5000;
const COLS = FRAUD_FEATURE_NAMES.length;
const AMOUNT = featureColumnIndex('log1pAmountUsd');
const AGE = featureColumnIndex('log1pAccountAgeDays');
const DISTANCE = featureColumnIndex('log1pDistanceFromHomeKm');
const VELOCITY = featureColumnIndex('transactionsLast24h');
const FOREIGN = featureColumnIndex('foreignCountry');
const ONLINE = featureColumnIndex('merchant=online-retail');

function streamWith(faults: FaultSpec[], seed: number | string = 7) {
  return createProductionStream({ seed, requestsPerDay: N, labelDelayDays: 0, faults });
}

const clean = streamWith([]);

/** Columns (other than `except`) that differ between two days, and whether labels/amounts do. */
function differences(a: ProductionDay, b: ProductionDay, except: number[]) {
  const columns = new Set<number>();
  for (let i = 0; i < a.features.length; i++) {
    if (a.features[i] !== b.features[i] && !except.includes(i % COLS)) columns.add(i % COLS);
  }
  return {
    columns: [...columns],
    labels: a.labels.some((y, r) => y !== b.labels[r]),
    amounts: a.amountsUsd.some((x, r) => x !== b.amountsUsd[r]),
  };
}

function columnOf(day: ProductionDay, c: number): Float64Array {
  const out = new Float64Array(day.rows);
  for (let r = 0; r < day.rows; r++) out[r] = day.features[r * COLS + c]!;
  return out;
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

function sd(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i]! - m) ** 2;
  return Math.sqrt(s / values.length);
}

describe('fault definitions', () => {
  it('fills in defaults per kind', () => {
    const f = resolveFault({ kind: 'swapped-columns', startDay: 3, strength: 1 });
    expect(f.id).toBe('swapped-columns@3');
    expect(f.stage).toBe('pipeline');
    expect(f.column).toBe(DISTANCE);
    expect(f.otherColumn).toBe(AGE);
    expect(f.endDay).toBe(Number.POSITIVE_INFINITY);
    expect(resolveFault({ kind: 'label-shift', startDay: 0, strength: 2 }).column).toBe(-1);
    expect(resolveFault({ kind: 'cents-for-dollars', startDay: 0, strength: 1 }).column).toBe(
      AMOUNT,
    );
    for (const kind of FAULT_KINDS) {
      const info = FAULT_KIND_INFO[kind];
      const f2 = resolveFault({ kind, startDay: 0, strength: info.defaultStrength });
      expect(f2.kind).toBe(kind);
      expect(info.seenBy).toContain(info.meantFor);
      expect(info.missedBy).not.toContain(info.meantFor);
    }
  });

  it('rejects what makes no sense', () => {
    const bad: FaultSpec[] = [
      { kind: 'covariate-shift', startDay: -1, strength: 1 },
      { kind: 'covariate-shift', startDay: 1.5, strength: 1 },
      { kind: 'covariate-shift', startDay: 5, endDay: 5, strength: 1 },
      { kind: 'covariate-shift', startDay: 0, strength: 7 },
      { kind: 'covariate-shift', startDay: 0, strength: 1, feature: 'shoeSize' },
      { kind: 'label-shift', startDay: 0, strength: 0 },
      { kind: 'concept-drift', startDay: 0, strength: 1.2 },
      { kind: 'missing-as-zero', startDay: 0, strength: 0 },
      { kind: 'cents-for-dollars', startDay: 0, strength: 1, feature: 'hourSin' },
      {
        kind: 'swapped-columns',
        startDay: 0,
        strength: 1,
        feature: 'hourSin',
        otherFeature: 'hourSin',
      },
      { kind: 'seasonality', startDay: 0, strength: 1, periodDays: 1 },
      { kind: 'covariate-shift', startDay: 0, strength: Number.NaN },
      { kind: 'nonsense' as FaultSpec['kind'], startDay: 0, strength: 1 },
    ];
    for (const spec of bad)
      expect(() => resolveFault(spec), JSON.stringify(spec)).toThrow(RangeError);
    expect(() =>
      resolveFaults([
        { kind: 'label-shift', startDay: 2, strength: 2 },
        { kind: 'label-shift', startDay: 2, strength: 3 },
      ]),
    ).toThrow(/share the id/);
  });

  it('ramps linearly and ends on its end day', () => {
    const f = resolveFault({
      kind: 'label-shift',
      startDay: 10,
      endDay: 15,
      rampDays: 4,
      strength: 3,
    });
    // min(1, (day − 10 + 1) / 4) inside [10, 15), 0 outside.
    expect([9, 10, 11, 12, 13, 14, 15].map((d) => faultIntensity(f, d))).toEqual([
      0, 0.25, 0.5, 0.75, 1, 1, 0,
    ]);
    const sudden = resolveFault({ kind: 'label-shift', startDay: 10, strength: 3 });
    expect(faultIntensity(sudden, 10)).toBe(1);
    expect(faultIntensity(sudden, 10_000)).toBe(1);
  });

  it('gives seasonality a cosine with its peak on the start day', () => {
    const f = resolveFault({ kind: 'seasonality', startDay: 10, strength: 2, periodDays: 4 });
    const values = [10, 11, 12, 13, 14].map((d) => faultIntensity(f, d));
    // cos(2π·k/4) for k = 0…4: 1, 0, −1, 0, 1.
    [1, 0, -1, 0, 1].forEach((v, k) => expect(values[k]).toBeCloseTo(v, 12));
  });

  it('multiplies the fraud rate, ramped and clamped', () => {
    const f = resolveFaults([{ kind: 'label-shift', startDay: 5, rampDays: 2, strength: 3 }]);
    expect(fraudRateOnDay(0.01, f, 4)).toBe(0.01);
    // 0.01 · (1 + (3 − 1) · 0.5) = 0.02, then 0.01 · 3 = 0.03.
    expect(fraudRateOnDay(0.01, f, 5)).toBeCloseTo(0.02, 15);
    expect(fraudRateOnDay(0.01, f, 6)).toBeCloseTo(0.03, 15);
    const big = resolveFaults([{ kind: 'label-shift', startDay: 0, strength: 20 }]);
    expect(fraudRateOnDay(0.02, big, 0)).toBe(0.2); // 0.4 clamped to the generator's maximum
  });

  it('hashes request ids to uniform, reproducible numbers', () => {
    let below = 0;
    for (let id = 0; id < 100_000; id++) if (requestHashUnit(id, 12345) < 0.3) below++;
    // Binomial(100000, 0.3): sd = √(100000·0.3·0.7) ≈ 145, so ±725 is 5 sd.
    expect(Math.abs(below - 30_000)).toBeLessThan(725);
    expect(requestHashUnit(42, 7)).toBe(requestHashUnit(42, 7));
    expect(requestHashUnit(42, 7)).not.toBe(requestHashUnit(42, 8));
    expect(requestHashUnit(2 ** 40 + 42, 7)).not.toBe(requestHashUnit(42, 7));
  });

  it('keeps rows by their features only', () => {
    const row = new Float32Array(COLS);
    row[DISTANCE] = 5;
    const reference = { means: new Float64Array(COLS), stdDevs: new Float64Array(COLS).fill(1) };
    reference.means[DISTANCE] = 3;
    reference.stdDevs[DISTANCE] = 2;
    // σ(1.5 · (5 − 3) / 2) = σ(1.5).
    expect(
      tiltKeepProbability(row, 0, [{ column: DISTANCE, slopePerSd: 1.5 }], reference),
    ).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 12);
    expect(tiltKeepProbability(row, 0, [], reference)).toBe(0.5);
  });
});

describe('pipeline faults change the feature rows and nothing else', () => {
  it('cents-for-dollars multiplies the raw amount by 100', () => {
    const s = streamWith([{ kind: 'cents-for-dollars', startDay: 3, strength: 1 }]);
    expect(differences(s.day(2), clean.day(2), [])).toEqual({
      columns: [],
      labels: false,
      amounts: false,
    });
    const bugged = s.day(4);
    const ok = clean.day(4);
    expect(differences(bugged, ok, [AMOUNT])).toEqual({
      columns: [],
      labels: false,
      amounts: false,
    });
    for (let r = 0; r < N; r++) {
      const amountUsd = ok.amountsUsd[r]!;
      expect(bugged.features[r * COLS + AMOUNT]).toBe(Math.fround(Math.log1p(100 * amountUsd)));
      // The encoder saw amount × 100: expm1 of the column gives it back (float32 precision).
      const seen = Math.expm1(bugged.features[r * COLS + AMOUNT]!);
      expect(Math.abs(seen / (100 * amountUsd) - 1)).toBeLessThan(2e-5);
    }
  });

  it('a partial bug hits a stable share of requests, chosen by request id', () => {
    const s = streamWith([{ kind: 'cents-for-dollars', startDay: 0, strength: 0.4 }]);
    const again = streamWith([{ kind: 'cents-for-dollars', startDay: 0, strength: 0.4 }]);
    const day = s.day(5);
    let hit = 0;
    const ok = clean.day(5);
    for (let r = 0; r < N; r++)
      if (day.features[r * COLS + AMOUNT] !== ok.features[r * COLS + AMOUNT]) hit++;
    // Binomial(5000, 0.4): sd ≈ 34.6; 5 sd.
    expect(Math.abs(hit - 2000)).toBeLessThan(175);
    again.day(9);
    expect(again.day(5).features).toEqual(day.features);
  });

  it('missing-as-zero zeroes a share of one column', () => {
    const s = streamWith([{ kind: 'missing-as-zero', startDay: 0, strength: 0.3 }]);
    const day = s.day(1);
    const ok = clean.day(1);
    expect(differences(day, ok, [AGE])).toEqual({ columns: [], labels: false, amounts: false });
    let zeros = 0;
    let changed = 0;
    for (let r = 0; r < N; r++) {
      const v = day.features[r * COLS + AGE]!;
      if (v !== ok.features[r * COLS + AGE]) {
        changed++;
        expect(v).toBe(0);
      }
      if (v === 0) zeros++;
    }
    // Binomial(5000, 0.3): sd ≈ 32.4; 5 sd. (An account age of 0 days also occurs naturally.)
    expect(Math.abs(changed - 1500)).toBeLessThan(162);
    expect(zeros).toBeGreaterThanOrEqual(changed);
  });

  it('swapped-columns exchanges two columns', () => {
    const s = streamWith([{ kind: 'swapped-columns', startDay: 0, strength: 1 }]);
    const day = s.day(2);
    const ok = clean.day(2);
    expect(differences(day, ok, [DISTANCE, AGE])).toEqual({
      columns: [],
      labels: false,
      amounts: false,
    });
    for (let r = 0; r < N; r++) {
      expect(day.features[r * COLS + DISTANCE]).toBe(ok.features[r * COLS + AGE]);
      expect(day.features[r * COLS + AGE]).toBe(ok.features[r * COLS + DISTANCE]);
    }
  });

  it('a stale feature serves its start day’s values again, keeping their distribution', () => {
    const s = streamWith([{ kind: 'stale-feature', startDay: 4, strength: 1 }]);
    const startValues = new Set(columnOf(clean.day(4), VELOCITY));
    const later = s.day(9);
    const ok = clean.day(9);
    expect(differences(later, ok, [VELOCITY])).toEqual({
      columns: [],
      labels: false,
      amounts: false,
    });
    const stale = columnOf(later, VELOCITY);
    for (const v of stale) expect(startValues.has(v)).toBe(true);
    // Same distribution: means within 5 standard errors of a difference of two means.
    const fresh = columnOf(ok, VELOCITY);
    expect(Math.abs(mean(stale) - mean(fresh))).toBeLessThan(5 * sd(fresh) * Math.sqrt(2 / N));
    // But the values no longer belong to their payments: fraud rows lose their high velocity.
    const fraudMean = (values: Float64Array) =>
      mean(Array.from(values).filter((_, r) => ok.labels[r] === 1));
    expect(fraudMean(stale)).toBeLessThan(fraudMean(fresh) - 1);
  });

  it('a constant stale feature is the start day’s median everywhere', () => {
    const s = streamWith([
      { kind: 'stale-feature', startDay: 4, strength: 1, staleMode: 'constant' },
    ]);
    const snapshot = staleSnapshotOf(clean.day(4).features, N, COLS, VELOCITY);
    const later = columnOf(s.day(6), VELOCITY);
    expect(new Set(later)).toEqual(new Set([snapshot.median]));
    // Day 4 itself is served stale too.
    expect(new Set(columnOf(s.day(4), VELOCITY))).toEqual(new Set([snapshot.median]));
  });
});

describe('world faults', () => {
  it('label shift changes the fraud rate, not what each class looks like', () => {
    const s = streamWith([{ kind: 'label-shift', startDay: 0, strength: 3 }]);
    const days = [0, 1, 2, 3, 4, 5];
    const shifted = days.map((d) => s.day(d));
    const base = days.map((d) => clean.day(d));
    const rate = (ds: ProductionDay[]) => mean(ds.map((d) => d.realisedFraudRate));
    // 30,000 rows at 3%: sd of the rate = √(0.03·0.97/30000) ≈ 0.00098.
    expect(Math.abs(rate(shifted) - 0.03)).toBeLessThan(0.005);
    expect(Math.abs(rate(base) - 0.01)).toBeLessThan(0.003);
    expect(shifted[0]!.targetFraudRate).toBeCloseTo(0.03, 15);
    for (const label of [0, 1]) {
      for (let c = 0; c < COLS; c++) {
        const values = (ds: ProductionDay[]) =>
          ds.flatMap((d) => Array.from(columnOf(d, c)).filter((_, r) => d.labels[r] === label));
        const a = values(shifted);
        const b = values(base);
        const se = Math.max(sd(a), sd(b), 1e-9) * Math.sqrt(1 / a.length + 1 / b.length);
        expect(
          Math.abs(mean(a) - mean(b)),
          `class ${label}, ${FRAUD_FEATURE_NAMES[c]}`,
        ).toBeLessThan(5 * se);
      }
    }
  });

  it('concept drift moves fraud to big foreign payments without changing a payment', () => {
    const s = streamWith([{ kind: 'concept-drift', startDay: 0, strength: 0.7 }]);
    let foreignFraudBefore = 0;
    let foreignFraudAfter = 0;
    let fraudBefore = 0;
    let fraudAfter = 0;
    for (const d of [0, 1, 2, 3]) {
      const drifted = s.day(d);
      const ok = clean.day(d);
      expect(drifted.features).toEqual(ok.features);
      expect(drifted.amountsUsd).toEqual(ok.amountsUsd);
      expect(drifted.realisedFraudRate).toBe(ok.realisedFraudRate);
      expect(differences(drifted, ok, []).labels).toBe(true);
      for (let r = 0; r < N; r++) {
        const foreign = ok.features[r * COLS + FOREIGN] === 1;
        fraudBefore += ok.labels[r]!;
        fraudAfter += drifted.labels[r]!;
        if (foreign) foreignFraudBefore += ok.labels[r]!;
        if (foreign) foreignFraudAfter += drifted.labels[r]!;
      }
    }
    expect(fraudAfter).toBe(fraudBefore);
    // Before, about a quarter of fraud is foreign; after, the 70% that moved are nearly all foreign.
    expect(foreignFraudBefore / fraudBefore).toBeLessThan(0.35);
    expect(foreignFraudAfter / fraudAfter).toBeGreaterThan(0.65);
  });

  it('covariate shift moves the population along a feature and keeps P(fraud | features)', () => {
    const strength = 1.5;
    const s = streamWith([{ kind: 'covariate-shift', startDay: 0, strength }]);
    const days = [0, 1, 2, 3, 4, 5, 6, 7];
    let expectedFraud = 0;
    let keptWeight = 0;
    let realisedFraud = 0;
    let rows = 0;
    let shiftSd = 0;
    for (const d of days) {
      const ok = clean.day(d);
      const tilted = s.day(d);
      const okColumn = columnOf(ok, DISTANCE);
      const m = mean(okColumn);
      const sdev = sd(okColumn);
      shiftSd += (mean(columnOf(tilted, DISTANCE)) - m) / sdev / days.length;
      // Day d's first draw is the clean day, so its kept rows come first, in order.
      let j = 0;
      for (let r = 0; r < N && j < 50; r++) {
        const same = ok.features
          .subarray(r * COLS, (r + 1) * COLS)
          .every((v, c) => v === tilted.features[j * COLS + c]);
        if (same) j++;
      }
      expect(j).toBe(50);
      // Reweighting the clean day by the keep probability predicts the tilted fraud rate.
      const reference = { means: new Float64Array(COLS), stdDevs: new Float64Array(COLS).fill(1) };
      reference.means[DISTANCE] = m;
      reference.stdDevs[DISTANCE] = sdev;
      for (let r = 0; r < N; r++) {
        const p = tiltKeepProbability(
          ok.features,
          r * COLS,
          [{ column: DISTANCE, slopePerSd: strength }],
          reference,
        );
        keptWeight += p;
        expectedFraud += p * ok.labels[r]!;
      }
      for (let r = 0; r < N; r++) realisedFraud += tilted.labels[r]!;
      rows += N;
    }
    // The logistic tilt moves a roughly normal column by about s/2 sd for small s, less beyond.
    expect(shiftSd).toBeGreaterThan(0.4);
    expect(shiftSd).toBeLessThan(0.8);
    const expectedRate = expectedFraud / keptWeight;
    const realisedRate = realisedFraud / rows;
    expect(realisedRate).toBeGreaterThan(0.012); // more far-away payments, so more fraud
    // 40,000 rows: binomial sd ≈ √(0.016·0.984/40000) ≈ 0.00063; 5 sd.
    expect(Math.abs(realisedRate - expectedRate)).toBeLessThan(0.0032);
  });

  it('seasonality swings a feature on a cycle', () => {
    const s = streamWith([{ kind: 'seasonality', startDay: 10, strength: 2, periodDays: 4 }]);
    const share = (d: ProductionDay) => mean(columnOf(d, ONLINE));
    const base = mean([10, 11, 12, 13].map((d) => share(clean.day(d))));
    expect(share(s.day(10)) - base).toBeGreaterThan(0.05); // peak
    expect(share(s.day(12)) - base).toBeLessThan(-0.05); // trough
    // A quarter period in, the tilt is cos(π/2) ≈ 0 and the day is the clean day.
    expect(s.day(11).features).toEqual(clean.day(11).features);
    expect(s.day(9).features).toEqual(clean.day(9).features);
  });
});

describe('each fault is caught by the monitor meant for it', () => {
  const delay = 3;
  const start = 10;
  const days = 30;
  const initial = deployLogistic(
    createProductionStream({ seed: 'train', requestsPerDay: N, labelDelayDays: 0 }).labelledDays(
      0,
      9,
    ),
    'initial',
  );
  const runWith = (fault: FaultSpec | null) => {
    const monitor = createTestMonitor();
    const run = simulateProduction({
      stream: { seed: 5, requestsPerDay: N, labelDelayDays: delay, faults: fault ? [fault] : [] },
      days,
      policy: { retrainTrigger: 'none' },
      initialModel: initial,
      monitor,
      retrain: (_request, window) => trainLogisticScorer(window),
    });
    const firstDay = new Map<MonitorFamily, number>();
    for (const record of run.records) {
      for (const name of record.detectors) {
        const family = name.split(':')[0] as MonitorFamily;
        if (!firstDay.has(family)) firstDay.set(family, record.day);
      }
    }
    return { run, firstDay };
  };

  it('raises no alert without a fault', () => {
    const { firstDay } = runWith(null);
    expect([...firstDay.keys()]).toEqual([]);
  });

  // Latest day by which the meant monitor must fire: feature monitors read today's rows
  // (0 days); label monitors wait for the labels (the delay); performance monitors pool a
  // 7-day window of labelled days, so they need the delay plus up to a week.
  const latest: Record<MonitorFamily, number> = {
    feature: start,
    prediction: start + delay,
    label: start + delay,
    performance: start + delay + 7,
    'estimated-performance': start,
  };
  const cases: FaultSpec[] = FAULT_KINDS.map((kind) => ({
    kind,
    startDay: start,
    strength: FAULT_KIND_INFO[kind].defaultStrength,
    // The default stale column (velocity) is caught only over weeks of labels; see below.
    ...(kind === 'stale-feature' ? { feature: 'log1pDistanceFromHomeKm' } : {}),
  }));
  for (const fault of cases) {
    const info = FAULT_KIND_INFO[fault.kind];
    it(`${fault.kind}: caught by ${info.meantFor}, quiet where it should be, no error`, () => {
      const { run, firstDay } = runWith(fault);
      const meant = firstDay.get(info.meantFor);
      expect(meant, `${info.meantFor} never fired`).toBeDefined();
      expect(meant!).toBeGreaterThanOrEqual(start);
      expect(meant!).toBeLessThanOrEqual(latest[info.meantFor]);
      for (const family of info.seenBy) expect(firstDay.has(family), family).toBe(true);
      for (const family of info.missedBy) expect(firstDay.has(family), family).toBe(false);
      expect(run.records.every((r) => r.unanswered === 0)).toBe(true);
    });
  }

  it('a stale velocity is invisible to feature monitors while recall falls', () => {
    const fault: FaultSpec = { kind: 'stale-feature', startDay: start, strength: 1 };
    const stale = runWith(fault);
    const fresh = runWith(null);
    expect(stale.firstDay.has('feature')).toBe(false);
    const recall = (records: typeof stale.run.records) => {
      let tp = 0;
      let frauds = 0;
      for (const r of records.filter((x) => x.day >= start)) {
        tp += r.served.truePositives;
        frauds += r.served.truePositives + r.served.falseNegatives;
      }
      return { recall: tp / frauds, frauds };
    };
    const a = recall(stale.run.records);
    const b = recall(fresh.run.records);
    // Same payments and labels in both runs; recall over ~1,000 frauds drops by several points.
    expect(a.frauds).toBe(b.frauds);
    expect(b.recall - a.recall).toBeGreaterThan(0.05);
  });

  it('a constant stale feature moves the feature monitor at once', () => {
    const { firstDay } = runWith({
      kind: 'stale-feature',
      startDay: start,
      strength: 1,
      staleMode: 'constant',
    });
    expect(firstDay.get('feature')).toBe(start);
  });
});
