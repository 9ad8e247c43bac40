import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_TRAINING_SETTINGS,
  describeArchitecture,
  effectiveHiddenSizes,
  settingsFromSearchParams,
  settingsToSearchParams,
  trainingSettingsSchema,
  type TrainingSettings,
} from '@lib/ml/training-settings';

describe('training settings in the URL', () => {
  it('gives the defaults for an empty query and writes nothing for them', () => {
    const { settings, problems } = settingsFromSearchParams(new URLSearchParams(''));
    expect(settings).toEqual(DEFAULT_TRAINING_SETTINGS);
    expect(problems).toEqual([]);
    expect(settingsToSearchParams(settings).toString()).toBe('');
  });

  it('reads every setting from its short parameter', () => {
    const { settings, problems } = settingsFromSearchParams(
      new URLSearchParams(
        'model=logistic&hidden=8,4&lr=0.5&epochs=3&batch=64&weighting=balanced&seed=7&rows=5000&fraud=2.5&backend=webgl',
      ),
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      model: 'logistic',
      hiddenSizes: [8, 4],
      learningRate: 0.5,
      epochs: 3,
      batchSize: 64,
      classWeighting: 'balanced',
      seed: 7,
      rows: 5000,
      fraudRatePercent: 2.5,
      backend: 'webgl',
    });
  });

  it('replaces each bad parameter by its default and says which and why', () => {
    const { settings, problems } = settingsFromSearchParams(
      new URLSearchParams('lr=banana&epochs=0&hidden=3,x&backend=quantum&seed=1e99&batch=12'),
    );
    expect(settings).toEqual({ ...DEFAULT_TRAINING_SETTINGS, batchSize: 12 });
    expect(problems.map((p) => p.parameter).sort()).toEqual([
      'backend',
      'epochs',
      'hidden',
      'lr',
      'seed',
    ]);
    expect(problems.find((p) => p.parameter === 'lr')?.value).toBe('banana');
  });

  it('keeps parameters that belong to other features', () => {
    const params = settingsToSearchParams(
      { ...DEFAULT_TRAINING_SETTINGS, seed: 5 },
      new URLSearchParams('exercise=abc'),
    );
    expect(params.get('exercise')).toBe('abc');
    expect(params.get('seed')).toBe('5');
  });

  it('round-trips any valid settings (property)', () => {
    const settingsArbitrary: fc.Arbitrary<TrainingSettings> = fc.record({
      model: fc.constantFrom('logistic' as const, 'mlp' as const),
      hiddenSizes: fc.array(fc.integer({ min: 1, max: 256 }), { minLength: 1, maxLength: 4 }),
      learningRate: fc.double({ min: 1e-5, max: 100, noNaN: true }),
      epochs: fc.integer({ min: 1, max: 200 }),
      batchSize: fc.integer({ min: 8, max: 4096 }),
      classWeighting: fc.constantFrom('none' as const, 'balanced' as const),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      rows: fc.integer({ min: 1000, max: 200_000 }),
      fraudRatePercent: fc.double({ min: 0.2, max: 20, noNaN: true }),
      backend: fc.constantFrom(
        'auto' as const,
        'wasm' as const,
        'cpu' as const,
        'webgl' as const,
        'webgpu' as const,
      ),
    });
    fc.assert(
      fc.property(settingsArbitrary, (settings) => {
        expect(trainingSettingsSchema.safeParse(settings).success).toBe(true);
        const query = settingsToSearchParams(settings).toString();
        const back = settingsFromSearchParams(new URLSearchParams(query));
        expect(back.problems).toEqual([]);
        expect(back.settings).toEqual(settings);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary query strings (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (key, value) => {
        const params = new URLSearchParams();
        params.set(
          ['lr', 'epochs', 'hidden', 'seed', 'backend', 'model', key][key.length % 7] ?? 'lr',
          value,
        );
        const { settings } = settingsFromSearchParams(params);
        expect(trainingSettingsSchema.safeParse(settings).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('describes architectures and drops hidden layers for logistic regression', () => {
    expect(effectiveHiddenSizes({ model: 'logistic', hiddenSizes: [32, 16] })).toEqual([]);
    expect(effectiveHiddenSizes({ model: 'mlp', hiddenSizes: [32, 16] })).toEqual([32, 16]);
    expect(describeArchitecture(14, [32, 16])).toBe('14→32→16→1');
    expect(describeArchitecture(14, [])).toBe('14→1');
  });
});
