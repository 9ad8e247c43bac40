import { describe, expect, it } from 'vitest';
import { diffRuns, goodDirection } from '../../src/lib/registry/diff';
import { generatorDataVersion } from '../../src/lib/registry/record';
import { makeRun } from './registry-fixtures';

describe('diffRuns', () => {
  it('lists changed, added and removed settings and metric deltas with direction', async () => {
    const { record: before } = await makeRun();
    const { record: after } = await makeRun({
      backend: 'wasm',
      appVersion: '0.2.0',
      settings: {
        model: 'mlp',
        hiddenSizes: [2],
        learningRate: 0.05,
        epochs: 10,
        seed: 42,
        classWeighting: 'balanced',
      },
      metrics: {
        'run.status': 'completed',
        'run.epochs': 10,
        'validation.rocAuc': 0.95,
        'validation.logLoss': 0.07,
        'validation.recall': 0.6,
        'test.f1': 0.4,
      },
    });
    const diff = diffRuns(before, after);
    expect(diff.beforeId).toBe(before.id);
    expect(diff.afterId).toBe(after.id);
    expect(diff.changedSettings).toEqual([
      { name: 'batchSize', status: 'removed', before: 256, after: undefined },
      { name: 'classWeighting', status: 'added', before: undefined, after: 'balanced' },
      { name: 'learningRate', status: 'changed', before: 0.01, after: 0.05 },
    ]);
    // Unchanged settings are listed too, with the seed and the layer sizes 3→2→1.
    expect(diff.settings.find((s) => s.name === 'model.layers')).toEqual({
      name: 'model.layers',
      status: 'same',
      before: [3, 2, 1],
      after: [3, 2, 1],
    });
    const metric = (path: string) => diff.metrics.find((m) => m.path === path);
    // 0.95 − 0.93 = 0.02 (to float rounding), up, and higher AUC is better.
    expect(metric('validation.rocAuc')?.delta).toBeCloseTo(0.02, 12);
    expect(metric('validation.rocAuc')).toMatchObject({ direction: 'up', better: true });
    // 0.07 − 0.05 = 0.02, up, and a higher log loss is worse.
    expect(metric('validation.logLoss')).toMatchObject({ direction: 'up', better: false });
    expect(metric('validation.logLoss')?.delta).toBeCloseTo(0.02, 12);
    expect(metric('validation.recall')).toMatchObject({
      delta: 0,
      direction: 'same',
      better: null,
    });
    expect(metric('run.status')).toMatchObject({ delta: null, direction: 'same' });
    expect(metric('confusion.falsePositives')).toMatchObject({
      after: undefined,
      direction: 'missing',
    });
    expect(metric('test.f1')).toMatchObject({ before: undefined, direction: 'missing' });
    expect(diff.metrics.map((m) => m.path)).toEqual([...diff.metrics.map((m) => m.path)].sort());
    expect(diff).toMatchObject({
      sameDataVersion: true,
      sameBackend: false,
      sameAppVersion: false,
      sameModel: true,
    });
  });

  it('tells a different data version and a lower false-positive count as better', async () => {
    const { record: before } = await makeRun();
    const { record: after } = await makeRun({
      dataVersion: await generatorDataVersion({
        generator: 'fraud-features',
        params: { rows: 20000, fraudRatePercent: 1 },
        seed: 43,
      }),
      metrics: { ...before.metrics, 'confusion.falsePositives': 30, 'run.status': 'diverged' },
    });
    const diff = diffRuns(before, after);
    expect(diff.sameDataVersion).toBe(false);
    expect(diff.sameBackend).toBe(true);
    expect(diff.metrics.find((m) => m.path === 'confusion.falsePositives')).toMatchObject({
      delta: -10,
      direction: 'down',
      better: true,
    });
    expect(diff.metrics.find((m) => m.path === 'run.status')).toMatchObject({
      before: 'completed',
      after: 'diverged',
      direction: 'changed',
    });
  });

  it('finds nothing changed between a run and itself', async () => {
    const { record } = await makeRun();
    const diff = diffRuns(record, record);
    expect(diff.changedSettings).toEqual([]);
    expect(diff.metrics.every((m) => m.direction === 'same')).toBe(true);
  });

  it('knows which way is good for common metrics', () => {
    expect(goodDirection('test.prAuc')).toBe('higher');
    expect(goodDirection('confusion.falsePositiveRate')).toBe('lower');
    expect(goodDirection('run.epochs')).toBeNull();
  });
});
