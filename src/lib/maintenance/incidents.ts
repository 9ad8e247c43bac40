/**
 * The incidents of the pipeline-bisect sandbox (lesson 8). Last month's retraining of a fraud
 * model scored well; this month's scores worse. Between the two runs four components of the
 * pipeline changed: the data, the feature code, the training configuration and the numeric
 * library. Each incident (a "case") says what each component's new version really does; the
 * learner sees only the commit message a colleague wrote, and has to find by experiment which
 * change (or which pair of changes) is to blame.
 *
 * Case 0 is a mystery: the case is picked from the seed ({@link resolveIncident}), so learners
 * who play with seeds meet culprits they have not memorised.
 */
import { hashString32 } from '@lib/random';

/** The four components of the pipeline, in the order the sandbox lists them. */
export const COMPONENTS = ['data', 'features', 'config', 'library'] as const;
/** One of {@link COMPONENTS}. */
export type Component = (typeof COMPONENTS)[number];

/** Which version of a component a run uses: last month's or this month's. */
export type ComponentVersion = 'old' | 'new';

/**
 * What this month's data is:
 * - `same-story`: a new month of payments from the same generator (only the sample differs);
 * - `renamed-foreign`: the data team renamed the foreign-country column (`foreign_country` →
 *   `cross_border`); the values are the same;
 * - `unlabelled-fraud`: the export ran before the chargebacks for big online orders arrived,
 *   so most of those frauds are labelled legitimate in the training rows.
 */
export type DataChange = 'same-story' | 'renamed-foreign' | 'unlabelled-fraud';

/**
 * The world both months come from: `usual` is the course's fraud generator; in
 * `foreign-merchants` a share of the frauds are online orders at merchants registered abroad
 * that otherwise look like honest online shopping, so only the foreign flag gives them away.
 */
export type World = 'usual' | 'foreign-merchants';

/**
 * What the new feature code does differently from v1:
 * - `none`: a pure refactor; every column is bit-identical;
 * - `serving-skips-log`: training still encodes ln(1 + amount in USD), but the serving path,
 *   which scores the validation rows as production will, passes the raw dollars (train/serve
 *   skew);
 * - `reads-by-name`: the refactor reads columns by name instead of by position; a column it
 *   cannot find is filled with 0, which happens to the foreign flag once it is renamed.
 */
export type FeatureChange = 'none' | 'serving-skips-log' | 'reads-by-name';

/**
 * What the new training configuration does differently from v1 (which trains with Adam,
 * full batch, 20 epochs, learning rate 0.05 set explicitly, L2 penalty 0.0001):
 * - `log-loss`: also logs the loss every 5 epochs (no effect on any number);
 * - `three-epochs`: 3 epochs instead of 20 "to make training faster";
 * - `relies-on-default`: the learning-rate line is deleted as equal to the library's default,
 *   so the rate is whatever the library version in use defaults to.
 */
export type ConfigChange = 'log-loss' | 'three-epochs' | 'relies-on-default';

/** One incident: the real effect of each component's new version, and what the team wrote. */
export interface Incident {
  /** Case number, 1-based. */
  number: number;
  /** Short title, shown only once the learner reveals the case or in the lesson. */
  title: string;
  world: World;
  data: DataChange;
  features: FeatureChange;
  config: ConfigChange;
  /** The commit message or note of each component's change, as the team wrote it. */
  changelog: Readonly<Record<Component, string>>;
  /**
   * Which changes are to blame, as sets of components: a set of one is a single culprit, a set
   * of two a pair that only hurts together. Written by hand from the design of the case and
   * checked by the unit tests against trained models.
   */
  culprits: readonly (readonly Component[])[];
}

const LIBRARY_NOTE = 'Upgrade numlib 1.9 → 2.0 (faster, single precision).';
const USUAL_EXPORT = 'This month’s payments, exported as usual.';
const HARMLESS_FEATURES = 'Refactor: split the encoder into one function per column.';
const HARMLESS_CONFIG = 'Log the training loss every 5 epochs.';
const SHARED_HELPER = 'Refactor: share one amount helper between training and serving.';
const TIDY_CONFIG = 'Tidy the config: delete settings equal to the library defaults.';

/** The cases, 1 to 6. */
export const INCIDENTS: readonly Incident[] = [
  {
    number: 1,
    title: 'Training and serving scale the amount differently',
    world: 'usual',
    data: 'same-story',
    features: 'serving-skips-log',
    config: 'log-loss',
    changelog: {
      data: USUAL_EXPORT,
      features: SHARED_HELPER,
      config: HARMLESS_CONFIG,
      library: LIBRARY_NOTE,
    },
    culprits: [['features']],
  },
  {
    number: 2,
    title: 'Fewer epochs to save time',
    world: 'usual',
    data: 'same-story',
    features: 'none',
    config: 'three-epochs',
    changelog: {
      data: USUAL_EXPORT,
      features: HARMLESS_FEATURES,
      config: 'Train for 3 epochs instead of 20: the loss curve looked flat.',
      library: LIBRARY_NOTE,
    },
    culprits: [['config']],
  },
  {
    number: 3,
    title: 'A deleted setting meets a new default',
    world: 'usual',
    data: 'same-story',
    features: 'none',
    config: 'relies-on-default',
    changelog: {
      data: USUAL_EXPORT,
      features: HARMLESS_FEATURES,
      config: TIDY_CONFIG,
      library: LIBRARY_NOTE,
    },
    culprits: [['config', 'library']],
  },
  {
    number: 4,
    title: 'A renamed column meets a reader by name',
    world: 'foreign-merchants',
    data: 'renamed-foreign',
    features: 'reads-by-name',
    config: 'log-loss',
    changelog: {
      data: 'This month’s payments, in the data team’s schema 4 (see their changelog).',
      features: 'Refactor: read columns by name, not by position.',
      config: HARMLESS_CONFIG,
      library: LIBRARY_NOTE,
    },
    culprits: [['data', 'features']],
  },
  {
    number: 5,
    title: 'Two problems at once',
    world: 'foreign-merchants',
    data: 'same-story',
    features: 'serving-skips-log',
    config: 'relies-on-default',
    changelog: {
      data: USUAL_EXPORT,
      features: SHARED_HELPER,
      config: TIDY_CONFIG,
      library: LIBRARY_NOTE,
    },
    culprits: [['features'], ['config', 'library']],
  },
  {
    number: 6,
    title: 'The export ran before the chargebacks came in',
    world: 'usual',
    data: 'unlabelled-fraud',
    features: 'none',
    config: 'log-loss',
    changelog: {
      data: 'This month’s payments; the export now runs on the 2nd to save a day.',
      features: HARMLESS_FEATURES,
      config: HARMLESS_CONFIG,
      library: LIBRARY_NOTE,
    },
    culprits: [['data']],
  },
];

/** Number of cases (6); case 0 is the mystery. */
export const INCIDENT_COUNT = INCIDENTS.length;

/**
 * The case an input selects: `incident` 1–6 is that case; 0 is the mystery case of this seed,
 * 1 + (FNV-1a hash of "pipeline-bisect/<seed>") mod 6, so neighbouring seeds give unrelated
 * cases and the same seed always gives the same one.
 */
export function resolveIncident(incident: number, seed: number): Incident {
  const number =
    incident === 0 ? 1 + (hashString32(`pipeline-bisect/${seed}`) % INCIDENT_COUNT) : incident;
  const found = INCIDENTS[number - 1];
  if (!found)
    throw new RangeError(`No case ${incident}: expected 0 (mystery) or 1–${INCIDENT_COUNT}.`);
  return found;
}
