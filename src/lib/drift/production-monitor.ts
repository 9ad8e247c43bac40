/**
 * The drift lab's production monitor: the detectors of `monitor.ts` and `performance-estimate.ts`
 * wired behind the driver's {@link ProductionMonitor} interface (`rollout.ts`), one verdict per
 * served day, with Evidently's defaults unless told otherwise.
 *
 * Reference. Either given ({@link MonitorReference}: the last N days of the model's training
 * data, or better N held-out days it never trained on, scored by the model, with their labels),
 * or collected from the first `referenceDays` observed days (their labels attach as they
 * arrive). Nothing alerts while the reference is being collected. In-sample rows flatter the
 * model (its realised recall and precision there are higher than it will ever reach), so a
 * training-window reference raises more false performance alarms: in the lab, 44 alert days of
 * 600 clean ones against 6 of 600 with held-out days (`monitor-lab.ts`).
 *
 * Five detector families ({@link MonitorFamily}), each checked at the end of every day:
 * - `feature` — data drift: every input column of today's rows against the reference column,
 *   with Evidently's default test and threshold (`checkDrift`: KS / chi-square / z-test on a
 *   reference of ≤ 1,000 rows, normed Wasserstein / Jensen–Shannon at 0.1 above it), and the
 *   dataset verdict (share of drifting columns ≥ 0.5). Rule `column` (default) alerts when any
 *   column drifts (Evidently's per-column test); rule `dataset` only when the dataset does
 *   (Evidently's share-of-drifted-columns test).
 * - `prediction` — prediction drift: today's served scores against the reference scores, as a
 *   numeric column with Evidently's default (`predictionDrift`).
 * - `estimated-performance` — confidence-based estimate (CBPE) of today's metrics from the
 *   scores alone; alert when a tracked metric leaves the band mean ± k·σ of the reference.
 * - `label` — once a day's labels land: its fraud rate against the reference fraud rate, by the
 *   two-proportion z-test (Evidently's test for a binary column), alert when p < `labelAlpha`.
 * - `performance` — realised metrics pooled over the latest `performanceWindowDays` labelled
 *   days (rows of the reference excluded); alert when a tracked metric leaves its band.
 *
 * Bands (a departure from NannyML, which fits mean ± 3σ on the spread of the metric over
 * reference chunks): a week of 1% fraud holds too few frauds per chunk for that spread to mean
 * much, so σ comes from the delta method instead. Each watched metric is a ratio of row sums,
 * R = Σ Aᵢ / Σ Bᵢ ({@link metricTerms}); on the reference it has the value R₀ and the per-row
 * variance V = (1/n) Σ (Aᵢ − R₀·Bᵢ)² / B̄². A window of m rows is compared with
 * R₀ ± k·√(V·(1/m + 1/n)), clipped to [0, 1] — the spread of the difference of two independent
 * estimates when nothing changed. For recall with labels this is the two-sample binomial
 * σ = √(r(1 − r)(1/P + 1/P₀)) over the fraud counts P and P₀. For realised metrics V is
 * floored at q(1 − q)/B̄ with the Laplace ratio q = (ΣA + 1)/(ΣB + 2), so a reference precision
 * of exactly 1 still leaves a band.
 *
 * A verdict's `detectors` are named `<family>` or `<family>:<detail>` (`feature:<column>`,
 * `estimated-performance:recall`, …), so `name.split(':')[0]` is the family — the form the
 * score card's `detectorsByFault` and the stream tests read.
 */
import { FRAUD_FEATURE_NAMES } from '@lib/data/fraud-features';
import type { MonitorFamily } from '@lib/drift/faults';
import type { DayObservation, MonitorVerdict, ProductionMonitor } from '@lib/drift/rollout';
import { featureColumns } from '@lib/drift/stream';
import {
  DATASET_DRIFT_SHARE,
  checkDrift,
  isDrift,
  predictionDrift,
  prepareReference,
  type ColumnDrift,
  type ColumnKind,
  type ColumnSpec,
  type DatasetDrift,
  type DriftMethod,
  type DriftReference,
} from '@lib/drift/monitor';
import {
  estimatePerformance,
  realizedPerformance,
  type PerformanceMetric,
} from '@lib/drift/performance-estimate';
import { binaryZTestFromCounts } from '@lib/drift/z-test-binary';

/** The five families, in the order the lab shows them. */
export const MONITOR_FAMILIES: readonly MonitorFamily[] = [
  'feature',
  'prediction',
  'estimated-performance',
  'label',
  'performance',
];

/** Plain names of the families, for tables and alerts. */
export const MONITOR_FAMILY_LABELS: Readonly<Record<MonitorFamily, string>> = {
  feature: 'Feature drift',
  prediction: 'Prediction drift',
  'estimated-performance': 'Estimated performance',
  label: 'Fraud rate (labels)',
  performance: 'Realised performance',
};

/** When the feature family alerts: on any drifting column, or only on dataset drift. */
export type FeatureAlertRule = 'column' | 'dataset';

/** Reference data for the monitor, e.g. the model's training window scored by the model. */
export interface MonitorReference {
  /** Row-major `rows × cols` encoded features. */
  features: Float32Array;
  /** Rows. */
  rows: number;
  /** Columns per row. */
  cols: number;
  /** The model's scores on these rows, in [0, 1]. */
  scores: ArrayLike<number>;
  /** The truth (1 fraud, 0 legitimate), or null when unknown. */
  labels: ArrayLike<number> | null;
  /** The model's decision threshold: a row is flagged when its score ≥ this. */
  thresholdScore: number;
}

/** Settings of the monitor; every field but `thresholdScore` has a default. */
export interface ProductionMonitorOptions {
  /** The deployed model's decision threshold (used when the reference is collected). */
  thresholdScore: number;
  /** A given reference; when absent the first `referenceDays` observed days are collected. */
  reference?: MonitorReference;
  /** Days to collect as the reference when none is given, an integer ≥ 1 (default 3). */
  referenceDays?: number;
  /** Names of the columns, in order (default `FRAUD_FEATURE_NAMES`). */
  columnNames?: readonly string[];
  /** Kind of each column by name (default {@link defaultColumnKind}). */
  columnKinds?: Readonly<Record<string, ColumnKind>>;
  /** A detector for every feature column instead of Evidently's default. */
  featureMethod?: DriftMethod;
  /** A threshold for every feature column instead of the method's default. */
  featureThreshold?: number;
  /** `column` (default) or `dataset`. */
  featureRule?: FeatureAlertRule;
  /** Share of drifting columns at which the dataset drifts (default 0.5). */
  driftShare?: number;
  /** A detector for the scores instead of Evidently's default. */
  predictionMethod?: DriftMethod;
  /** A threshold for the scores instead of the method's default. */
  predictionThreshold?: number;
  /** Metrics watched by the two performance families (default precision and recall). */
  performanceMetrics?: readonly PerformanceMetric[];
  /** k of the band μ ± k·σ (default 3). */
  bandMultiplier?: number;
  /** Labelled days pooled by the realised-performance family, an integer ≥ 1 (default 7). */
  performanceWindowDays?: number;
  /** Level of the label family's z-test: alert when p < this (default 0.001). */
  labelAlpha?: number;
  /** Families switched on (default all). A family switched off is computed but never alerts. */
  enabledFamilies?: readonly MonitorFamily[];
  /**
   * Called by `rebase` (a retrained model was promoted) for the new model's reference; when it
   * is absent or returns null, the next `referenceDays` observed days are collected instead.
   */
  referenceFor?: (model: {
    modelId: string;
    fromDay: number;
    toDay: number;
  }) => MonitorReference | null;
}

/** The options with every default filled in. */
export type ResolvedMonitorOptions = Required<
  Omit<
    ProductionMonitorOptions,
    | 'reference'
    | 'featureMethod'
    | 'featureThreshold'
    | 'predictionMethod'
    | 'predictionThreshold'
    | 'referenceFor'
  >
> &
  Pick<
    ProductionMonitorOptions,
    | 'reference'
    | 'featureMethod'
    | 'featureThreshold'
    | 'predictionMethod'
    | 'predictionThreshold'
    | 'referenceFor'
  >;

/** Default settings: see {@link ProductionMonitorOptions}. */
export const DEFAULT_MONITOR_SETTINGS = {
  referenceDays: 3,
  featureRule: 'column' as FeatureAlertRule,
  driftShare: DATASET_DRIFT_SHARE,
  performanceMetrics: ['precision', 'recall'] as readonly PerformanceMetric[],
  bandMultiplier: 3,
  performanceWindowDays: 7,
  labelAlpha: 0.001,
} as const;

/**
 * The kind of an encoded fraud column: `binary` for 0/1 flags and one-hot merchant columns
 * (`cardPresent`, `foreignCountry`, `merchant=…`), `numeric` otherwise.
 */
export function defaultColumnKind(name: string): ColumnKind {
  return name === 'cardPresent' || name === 'foreignCountry' || name.startsWith('merchant=')
    ? 'binary'
    : 'numeric';
}

function assertWhole(value: number, min: number, what: string): void {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new RangeError(`${what} must be a whole number ≥ ${min}; got ${value}.`);
  }
}

/**
 * Fills in defaults and validates the options.
 *
 * @throws RangeError for a count out of range, a share, level or threshold outside (0, 1], a
 *   multiplier ≤ 0, an unknown family or metric, or a reference of the wrong shape.
 */
export function resolveMonitorOptions(options: ProductionMonitorOptions): ResolvedMonitorOptions {
  const o: ResolvedMonitorOptions = {
    ...DEFAULT_MONITOR_SETTINGS,
    columnNames: FRAUD_FEATURE_NAMES,
    columnKinds: {},
    enabledFamilies: MONITOR_FAMILIES,
    ...options,
  };
  if (!(o.thresholdScore >= 0 && o.thresholdScore <= 1)) {
    throw new RangeError(`The decision threshold must lie in [0, 1]; got ${o.thresholdScore}.`);
  }
  assertWhole(o.referenceDays, 1, 'The reference days');
  assertWhole(o.performanceWindowDays, 1, 'The performance window');
  if (!(o.driftShare > 0 && o.driftShare <= 1)) {
    throw new RangeError(`The drift share must lie in (0, 1]; got ${o.driftShare}.`);
  }
  if (!(o.labelAlpha > 0 && o.labelAlpha < 1)) {
    throw new RangeError(`The label test's level must lie in (0, 1); got ${o.labelAlpha}.`);
  }
  if (!(o.bandMultiplier > 0 && Number.isFinite(o.bandMultiplier))) {
    throw new RangeError(`The band multiplier must be > 0; got ${o.bandMultiplier}.`);
  }
  if (o.featureRule !== 'column' && o.featureRule !== 'dataset') {
    throw new RangeError(
      `The feature rule must be column or dataset; got ${String(o.featureRule)}.`,
    );
  }
  for (const t of [o.featureThreshold, o.predictionThreshold]) {
    if (t !== undefined && !(t > 0 && Number.isFinite(t))) {
      throw new RangeError(`A drift threshold must be a number > 0; got ${t}.`);
    }
  }
  for (const f of o.enabledFamilies) {
    if (!MONITOR_FAMILIES.includes(f)) throw new RangeError(`Unknown monitor family "${f}".`);
  }
  const metrics: readonly string[] = ['accuracy', 'precision', 'recall', 'f1'];
  if (o.performanceMetrics.length === 0) throw new RangeError('Watch at least one metric.');
  for (const m of o.performanceMetrics) {
    if (!metrics.includes(m)) throw new RangeError(`Unknown metric "${m}".`);
  }
  if (o.reference) assertReference(o.reference, o.columnNames.length);
  return o;
}

function assertReference(reference: MonitorReference, cols: number): void {
  const { rows, features, scores, labels } = reference;
  assertWhole(rows, 1, 'The reference rows');
  if (reference.cols !== cols || features.length !== rows * cols || scores.length !== rows) {
    throw new RangeError(
      `The reference must hold ${rows} × ${cols} features and ${rows} scores; got ` +
        `${features.length} values, ${reference.cols} columns and ${scores.length} scores.`,
    );
  }
  if (labels && labels.length !== rows) {
    throw new RangeError(`The reference has ${labels.length} labels for ${rows} rows.`);
  }
  if (!(reference.thresholdScore >= 0 && reference.thresholdScore <= 1)) {
    throw new RangeError(`The reference threshold must lie in [0, 1].`);
  }
}

// ---- Bands ----

/**
 * A metric of the reference, written as a ratio of row sums R = Σ Aᵢ / Σ Bᵢ, with what its
 * sampling spread needs: the per-row variance of the linearised ratio.
 */
export interface MetricReferenceBand {
  /** R on the reference. */
  mean: number;
  /** V = (1/n) Σ (Aᵢ − R·Bᵢ)² / B̄², the delta-method variance of R times n. */
  rowVariance: number;
  /** Reference rows n. */
  rows: number;
}

/**
 * The terms (Aᵢ, Bᵢ) of a metric for one row with truth (or, for an estimate, fraud
 * probability) y ∈ [0, 1] and flag f ∈ {0, 1}: recall = Σ y·f / Σ y, precision = Σ y·f / Σ f,
 * accuracy = Σ (f·y + (1 − f)(1 − y)) / n, F1 = Σ 2y·f / Σ (y + f). With y the score these are
 * exactly the CBPE estimates of performance-estimate.ts.
 */
export function metricTerms(metric: PerformanceMetric, y: number, f: number): [number, number] {
  switch (metric) {
    case 'recall':
      return [y * f, y];
    case 'precision':
      return [y * f, f];
    case 'accuracy':
      return [f * y + (1 - f) * (1 - y), 1];
    case 'f1':
      return [2 * y * f, y + f];
  }
}

/**
 * Fits the band of one metric on the reference rows (see the module header): R = Σ A / Σ B and
 * the delta-method variance V = (1/n) Σ (Aᵢ − R·Bᵢ)² / B̄² (NaN when Σ B = 0). `truth(i)` is the
 * label for realised metrics or the score for estimated ones; `flag(i)` is 1 when row i is
 * flagged. With `binomialFloor` (for 0/1 labels) V is at least q(1 − q)/B̄, q = (ΣA + 1)/(ΣB + 2).
 */
export function fitMetricBand(
  metric: PerformanceMetric,
  rows: number,
  truth: (i: number) => number,
  flag: (i: number) => number,
  binomialFloor = false,
): MetricReferenceBand {
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < rows; i++) {
    const [a, b] = metricTerms(metric, truth(i), flag(i));
    sumA += a;
    sumB += b;
  }
  if (!(sumB > 0)) return { mean: NaN, rowVariance: NaN, rows };
  const mean = sumA / sumB;
  let sq = 0;
  for (let i = 0; i < rows; i++) {
    const [a, b] = metricTerms(metric, truth(i), flag(i));
    sq += (a - mean * b) ** 2;
  }
  const meanB = sumB / rows;
  let rowVariance = sq / rows / (meanB * meanB);
  if (binomialFloor) {
    // A labelled reference whose flags were all fraud (precision 1) would otherwise give a band
    // of zero width; the Laplace ratio q = (ΣA + 1)/(ΣB + 2) gives the binomial q(1 − q)/B̄.
    const q = (sumA + 1) / (sumB + 2);
    rowVariance = Math.max(rowVariance, (q * (1 - q)) / meanB);
  }
  return { mean, rowVariance, rows };
}

/**
 * The band of a window of `rows` rows against the reference: R ± k·σ with
 * σ = √(V · (1/rows + 1/n_ref)) (the spread of a difference of two independent ratio
 * estimates under no change), clipped to [0, 1]. NaN ends when the reference has no band.
 */
export function scaledBand(
  band: MetricReferenceBand,
  rows: number,
  multiplier: number,
): { lower: number; upper: number } {
  const half =
    multiplier * Math.sqrt(band.rowVariance * (1 / Math.max(1, rows) + 1 / Math.max(1, band.rows)));
  return { lower: Math.max(0, band.mean - half), upper: Math.min(1, band.mean + half) };
}

/** Bands of several metrics ({@link fitMetricBand}). */
export function fitReferenceBands(
  metrics: readonly PerformanceMetric[],
  rows: number,
  truth: (i: number) => number,
  flag: (i: number) => number,
  binomialFloor = false,
): Record<PerformanceMetric, MetricReferenceBand> {
  const out = {} as Record<PerformanceMetric, MetricReferenceBand>;
  for (const metric of metrics) {
    out[metric] = fitMetricBand(metric, rows, truth, flag, binomialFloor);
  }
  return out;
}

// ---- Reports ----

/** One watched metric of one window. */
export interface MetricCheck {
  /** The metric. */
  metric: PerformanceMetric;
  /** Its value (estimated or realised). */
  value: number;
  /** Reference mean. */
  referenceMean: number;
  /** Lower end of the band for this window. */
  lower: number;
  /** Upper end of the band for this window. */
  upper: number;
  /** Whether the value lies outside the band. */
  outside: boolean;
}

/** The label family's check of one labelled day. */
export interface LabelCheck {
  /** The day whose labels arrived. */
  labelledDay: number;
  /** Its fraud rate. */
  fraudRate: number;
  /** The reference fraud rate. */
  referenceFraudRate: number;
  /** Two-proportion z (positive: more fraud than the reference). */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
  /** p < labelAlpha. */
  drifted: boolean;
}

/** The realised-performance family's check over pooled labelled days. */
export interface RealisedCheck {
  /** First labelled day pooled. */
  fromDay: number;
  /** Last labelled day pooled. */
  toDay: number;
  /** Days pooled. */
  days: number;
  /** Rows pooled. */
  rows: number;
  /** One entry per watched metric. */
  metrics: MetricCheck[];
  /** Whether any is outside its band. */
  outside: boolean;
}

/** Everything the monitor found on one day. */
export interface DayMonitorReport {
  /** The day observed. */
  day: number;
  /** Still collecting the reference (nothing is checked) or monitoring. */
  phase: 'collecting-reference' | 'monitoring';
  /** Per-column data drift and the dataset verdict (null while collecting). */
  features: DatasetDrift | null;
  /** Drift of the served scores (null while collecting). */
  prediction: ColumnDrift | null;
  /** CBPE estimate of the watched metrics (null while collecting). */
  estimated: MetricCheck[] | null;
  /** The labelled day's fraud-rate test (null when no labels arrived or no reference labels). */
  label: LabelCheck | null;
  /** Realised metrics over the pooled window (null until the window is full). */
  realised: RealisedCheck | null;
  /** Whether each family's check fired (switched-off families included). */
  fired: Record<MonitorFamily, boolean>;
  /** Families that alerted (fired and switched on), in {@link MONITOR_FAMILIES} order. */
  alertedFamilies: MonitorFamily[];
  /** Names of the detectors that alerted. */
  detectors: string[];
  /** Whether any family alerted. */
  alert: boolean;
}

/** The monitor the lab runs: a {@link ProductionMonitor} that keeps a report per day. */
export interface LabProductionMonitor extends ProductionMonitor {
  /** The reports of every observed day, in order. */
  readonly history: readonly DayMonitorReport[];
  /** The options in force. */
  readonly options: ResolvedMonitorOptions;
  /** Observes a day and returns its full report (what `observe` summarises). */
  observeDay(observation: DayObservation): DayMonitorReport;
}

/** What the monitor holds about its reference. */
interface ReferenceState {
  drift: DriftReference;
  scores: Float64Array;
  thresholdScore: number;
  estimatedBands: Record<PerformanceMetric, MetricReferenceBand>;
  labels: Uint8Array | null;
  realisedBands: Record<PerformanceMetric, MetricReferenceBand> | null;
  frauds: number;
  /** Days the reference was collected from (their labels join it; never pooled as current). */
  days: ReadonlySet<number>;
}

/** A day collected for the reference, waiting for its labels. */
interface CollectedDay {
  day: number;
  features: Float32Array;
  rows: number;
  scores: Float32Array;
  labels: Uint8Array | null;
}

/** A labelled day kept for the realised-performance window. */
interface LabelledDay {
  day: number;
  scores: Float32Array;
  labels: Uint8Array;
}

function noneFired(): Record<MonitorFamily, boolean> {
  return {
    feature: false,
    prediction: false,
    'estimated-performance': false,
    label: false,
    performance: false,
  };
}

/**
 * Creates the lab's production monitor (see the module header). Deterministic: the same days
 * observed in the same order give the same reports.
 *
 * @throws RangeError as {@link resolveMonitorOptions}.
 */
export function createProductionMonitor(options: ProductionMonitorOptions): LabProductionMonitor {
  const o = resolveMonitorOptions(options);
  const names = o.columnNames;
  const specs: ColumnSpec[] = names.map((name) => ({
    name,
    kind: o.columnKinds[name] ?? defaultColumnKind(name),
    ...(o.featureMethod ? { method: o.featureMethod } : {}),
    ...(o.featureThreshold !== undefined ? { threshold: o.featureThreshold } : {}),
  }));
  const enabled = new Set(o.enabledFamilies);
  const history: DayMonitorReport[] = [];
  let reference: ReferenceState | null = null;
  let collected: CollectedDay[] = [];
  let collecting = true;
  let threshold = o.thresholdScore;
  let recentDays: LabelledDay[] = [];

  const build = (
    features: Float32Array,
    rows: number,
    scores: ArrayLike<number>,
    labels: ArrayLike<number> | null,
    thresholdScore: number,
    days: ReadonlySet<number>,
  ): ReferenceState => {
    const drift = prepareReference(specs, featureColumns(features, rows, names.length, names));
    const s = Float64Array.from(scores);
    const state: ReferenceState = {
      drift,
      scores: s,
      thresholdScore,
      estimatedBands: fitReferenceBands(
        o.performanceMetrics,
        rows,
        (i) => s[i]!,
        (i) => (s[i]! >= thresholdScore ? 1 : 0),
      ),
      labels: null,
      realisedBands: null,
      frauds: 0,
      days,
    };
    if (labels) attachLabels(state, labels);
    return state;
  };

  const attachLabels = (state: ReferenceState, labels: ArrayLike<number>): void => {
    const y = Uint8Array.from(labels, (v) => (v >= 0.5 ? 1 : 0));
    state.labels = y;
    state.frauds = y.reduce((n, v) => n + v, 0);
    state.realisedBands = fitReferenceBands(
      o.performanceMetrics,
      y.length,
      (i) => y[i]!,
      (i) => (state.scores[i]! >= state.thresholdScore ? 1 : 0),
      true,
    );
  };

  const useReference = (given: MonitorReference): void => {
    assertReference(given, names.length);
    threshold = given.thresholdScore;
    reference = build(
      given.features,
      given.rows,
      given.scores,
      given.labels,
      given.thresholdScore,
      new Set(),
    );
    collecting = false;
    collected = [];
    recentDays = [];
  };

  const startCollecting = (): void => {
    reference = null;
    collecting = true;
    collected = [];
    recentDays = [];
  };

  if (o.reference) useReference(o.reference);

  /** Labels of a collected reference day arrive: keep them, and attach all once complete. */
  const labelsForCollected = (day: number, labels: Uint8Array): boolean => {
    const entry = collected.find((c) => c.day === day);
    if (!entry) return false;
    entry.labels = labels;
    if (reference && !reference.labels && collected.every((c) => c.labels)) {
      const all = new Uint8Array(collected.reduce((n, c) => n + c.rows, 0));
      let offset = 0;
      for (const c of collected) {
        all.set(c.labels!, offset);
        offset += c.rows;
      }
      attachLabels(reference, all);
    }
    return true;
  };

  const observeDay = (obs: DayObservation): DayMonitorReport => {
    if (obs.cols !== names.length) {
      throw new RangeError(`Expected ${names.length} columns; got ${obs.cols}.`);
    }
    const fired = noneFired();
    // Labels that landed tonight.
    let labelCheck: LabelCheck | null = null;
    if (obs.labelled) {
      const labels = obs.labelled.labels;
      const isReferenceDay = labelsForCollected(obs.labelled.day, labels);
      if (!isReferenceDay && reference && !reference.days.has(obs.labelled.day)) {
        recentDays.push({ day: obs.labelled.day, scores: obs.labelled.scores, labels });
        if (recentDays.length > o.performanceWindowDays) recentDays.shift();
        const ref: ReferenceState = reference;
        if (ref.labels) {
          let frauds = 0;
          for (const v of labels) frauds += v;
          const test = binaryZTestFromCounts(ref.labels.length, ref.frauds, labels.length, frauds);
          labelCheck = {
            labelledDay: obs.labelled.day,
            fraudRate: frauds / labels.length,
            referenceFraudRate: ref.frauds / ref.labels.length,
            z: test.z,
            pValue: test.pValue,
            drifted: test.pValue < o.labelAlpha,
          };
          fired.label = labelCheck.drifted;
        }
      }
    }

    if (collecting) {
      collected.push({
        day: obs.day,
        features: Float32Array.from(obs.features),
        rows: obs.rows,
        scores: Float32Array.from(obs.scores),
        labels: null,
      });
      if (collected.length === o.referenceDays) {
        const rows = collected.reduce((n, c) => n + c.rows, 0);
        const features = new Float32Array(rows * obs.cols);
        const scores = new Float32Array(rows);
        let offset = 0;
        for (const c of collected) {
          features.set(c.features, offset * obs.cols);
          scores.set(c.scores, offset);
          offset += c.rows;
        }
        reference = build(
          features,
          rows,
          scores,
          null,
          threshold,
          new Set(collected.map((c) => c.day)),
        );
        for (const c of collected) c.features = new Float32Array(0);
        collecting = false;
        // Labels of reference days that already landed (label delay 0).
        const landed = collected.filter((c) => c.labels);
        for (const c of landed) labelsForCollected(c.day, c.labels!);
      }
      return finish(obs.day, 'collecting-reference', fired, null, null, null, labelCheck, null);
    }

    const ref = reference!;
    const features = checkDrift(
      ref.drift,
      featureColumns(obs.features, obs.rows, obs.cols, names),
      {
        driftShare: o.driftShare,
      },
    );
    fired.feature =
      o.featureRule === 'dataset' ? features.datasetDrifted : features.driftedColumns > 0;
    const prediction = predictionDrift(ref.scores, obs.scores, {
      ...(o.predictionMethod ? { method: o.predictionMethod } : {}),
    });
    if (o.predictionThreshold !== undefined) {
      prediction.threshold = o.predictionThreshold;
      prediction.drifted = isDrift(prediction.method, prediction.driftScore, o.predictionThreshold);
    }
    fired.prediction = prediction.drifted;
    const estimate = estimatePerformance(obs.scores, ref.thresholdScore);
    const estimated = o.performanceMetrics.map((metric) =>
      metricCheck(metric, estimate[metric], ref.estimatedBands[metric], obs.rows),
    );
    fired['estimated-performance'] = estimated.some((m) => m.outside);

    let realised: RealisedCheck | null = null;
    if (ref.realisedBands && recentDays.length === o.performanceWindowDays) {
      const rows = recentDays.reduce((n, d) => n + d.labels.length, 0);
      const scores = new Float32Array(rows);
      const labels = new Uint8Array(rows);
      let offset = 0;
      for (const d of recentDays) {
        scores.set(d.scores, offset);
        labels.set(d.labels, offset);
        offset += d.labels.length;
      }
      const metrics = realizedPerformance(scores, labels, ref.thresholdScore);
      const bands = ref.realisedBands;
      const checks = o.performanceMetrics.map((metric) =>
        metricCheck(metric, metrics[metric], bands[metric], rows),
      );
      realised = {
        fromDay: recentDays[0]!.day,
        toDay: recentDays[recentDays.length - 1]!.day,
        days: recentDays.length,
        rows,
        metrics: checks,
        outside: checks.some((m) => m.outside),
      };
      fired.performance = realised.outside;
    }
    return finish(
      obs.day,
      'monitoring',
      fired,
      features,
      prediction,
      estimated,
      labelCheck,
      realised,
    );
  };

  const metricCheck = (
    metric: PerformanceMetric,
    value: number,
    band: MetricReferenceBand,
    rows: number,
  ): MetricCheck => {
    const { lower, upper } = scaledBand(band, rows, o.bandMultiplier);
    return {
      metric,
      value,
      referenceMean: band.mean,
      lower,
      upper,
      outside: !Number.isNaN(value) && !Number.isNaN(band.mean) && (value < lower || value > upper),
    };
  };

  const finish = (
    day: number,
    phase: DayMonitorReport['phase'],
    fired: Record<MonitorFamily, boolean>,
    features: DatasetDrift | null,
    prediction: ColumnDrift | null,
    estimated: MetricCheck[] | null,
    label: LabelCheck | null,
    realised: RealisedCheck | null,
  ): DayMonitorReport => {
    const alertedFamilies = MONITOR_FAMILIES.filter((f) => fired[f] && enabled.has(f));
    const detectors: string[] = [];
    for (const family of alertedFamilies) {
      if (family === 'feature' && features) {
        if (o.featureRule === 'dataset') detectors.push('feature:dataset');
        for (const c of features.columns) if (c.drifted) detectors.push(`feature:${c.name}`);
      } else if (family === 'estimated-performance' && estimated) {
        for (const m of estimated) if (m.outside) detectors.push(`${family}:${m.metric}`);
      } else if (family === 'performance' && realised) {
        for (const m of realised.metrics) if (m.outside) detectors.push(`${family}:${m.metric}`);
      } else detectors.push(family);
    }
    const report: DayMonitorReport = {
      day,
      phase,
      features,
      prediction,
      estimated,
      label,
      realised,
      fired,
      alertedFamilies,
      detectors,
      alert: alertedFamilies.length > 0,
    };
    history.push(report);
    return report;
  };

  const rebase = (model: { modelId: string; fromDay: number; toDay: number }): void => {
    const given = o.referenceFor?.(model) ?? null;
    if (given) useReference(given);
    else startCollecting();
  };

  return {
    history,
    options: o,
    observeDay,
    observe: (obs: DayObservation): MonitorVerdict => {
      const report = observeDay(obs);
      return { alert: report.alert, detectors: report.detectors };
    },
    rebase,
  };
}

/** The first day each family alerted in a history (families that never did are absent). */
export function firstAlertDays(
  history: readonly Pick<DayMonitorReport, 'day' | 'alertedFamilies'>[],
  fromDay = 0,
): Partial<Record<MonitorFamily, number>> {
  const out: Partial<Record<MonitorFamily, number>> = {};
  for (const report of history) {
    if (report.day < fromDay) continue;
    for (const family of report.alertedFamilies)
      if (out[family] === undefined) out[family] = report.day;
  }
  return out;
}
