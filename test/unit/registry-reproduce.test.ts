import { describe, expect, it } from 'vitest';
import { generatorDataVersion } from '../../src/lib/registry/record';
import { reproduceRun, type RunReplayOutcome } from '../../src/lib/registry/reproduce';
import { makeRun } from './registry-fixtures';

const replayWith = (outcome: RunReplayOutcome) => async () => outcome;

describe('reproduceRun', () => {
  it('is exact on the same deterministic backend with identical values', async () => {
    const { record } = await makeRun();
    const verdict = await reproduceRun(
      record,
      replayWith({ metrics: { ...record.metrics }, backend: 'cpu' }),
      {
        appVersion: '0.1.0',
      },
    );
    expect(verdict.status).toBe('exact');
    expect(verdict.required).toBe('exact');
    expect(verdict.mismatches).toEqual([]);
    expect(verdict.reasons).toEqual([expect.stringMatching(/Same backend \(cpu\).*exactly/)]);
  });

  it('demands bit-identical values on cpu: a difference of 1e-12 is a mismatch', async () => {
    const { record } = await makeRun();
    const verdict = await reproduceRun(
      record,
      replayWith({
        metrics: { ...record.metrics, 'validation.rocAuc': 0.93 + 1e-12 },
        backend: 'cpu',
      }),
      { appVersion: '0.1.0' },
    );
    expect(verdict.status).toBe('mismatch');
    expect(verdict.mismatches.map((m) => m.path)).toEqual(['validation.rocAuc']);
    expect(verdict.summary).toMatch(
      /validation\.rocAuc: the record says 0\.93, .*must match exactly/,
    );
  });

  it('accepts a small difference across backends, and says why', async () => {
    const { record } = await makeRun();
    // 0.93 → 0.915 is 0.015 ≤ 0.03; 40 → 45 false positives is 5 ≤ 10 + 0.2·45 = 19.
    const verdict = await reproduceRun(
      record,
      replayWith({
        metrics: { ...record.metrics, 'validation.rocAuc': 0.915, 'confusion.falsePositives': 45 },
        backend: 'wasm',
      }),
      { appVersion: '0.1.0' },
    );
    expect(verdict.status).toBe('within-tolerance');
    expect(verdict.required).toBe('tolerance');
    expect(
      verdict.comparisons.find((c) => c.path === 'confusion.falsePositives')?.allowedDifference,
    ).toBe(19);
    expect(verdict.reasons[0]).toMatch(/Different backend: .*recorded on cpu and replayed on wasm/);
    expect(verdict.summary).toMatch(/within the tolerance on wasm: 2 value/);
  });

  it('blames GPU floating point on the same GPU backend', async () => {
    const { record } = await makeRun({ backend: 'webgl' });
    const verdict = await reproduceRun(
      record,
      replayWith({ metrics: { ...record.metrics, 'validation.rocAuc': 0.931 }, backend: 'webgl' }),
      { appVersion: '0.1.0' },
    );
    expect(verdict.status).toBe('within-tolerance');
    expect(verdict.reasons[0]).toMatch(/GPU floating point/);
  });

  it('reports a mismatch beyond the tolerance with the allowed difference', async () => {
    const { record } = await makeRun();
    const verdict = await reproduceRun(
      record,
      replayWith({ metrics: { ...record.metrics, 'validation.rocAuc': 0.85 }, backend: 'wasm' }),
      { appVersion: '0.1.0' },
    );
    expect(verdict.status).toBe('mismatch');
    expect(verdict.summary).toMatch(
      /the record says 0\.93, the replay gives 0\.85 \(allowed difference 0\.03\)/,
    );
  });

  it('explains a different data version and a different app version', async () => {
    const { record } = await makeRun();
    const otherData = await generatorDataVersion({
      generator: 'fraud-features',
      params: { rows: 20000, fraudRatePercent: 1 },
      seed: 99,
    });
    const verdict = await reproduceRun(
      record,
      replayWith({
        metrics: { ...record.metrics, 'validation.rocAuc': 0.7 },
        backend: 'cpu',
        dataVersion: otherData,
      }),
      { appVersion: '0.2.0' },
    );
    expect(verdict.status).toBe('mismatch');
    expect(verdict.reasons).toEqual([
      expect.stringMatching(/Same backend/),
      expect.stringMatching(/Different data version/),
      expect.stringMatching(/Different app version: .*0\.1\.0 .*0\.2\.0/),
    ]);
  });

  it('treats a missing metric as a mismatch and ignores run.backend', async () => {
    const { record } = await makeRun();
    const metrics: Record<string, number | string | boolean | null> = {
      ...record.metrics,
      'run.backend': 'wasm',
    };
    delete metrics['validation.recall'];
    const verdict = await reproduceRun(record, replayWith({ metrics, backend: 'wasm' }), {
      appVersion: '0.1.0',
    });
    expect(verdict.mismatches.map((m) => m.path)).toEqual(['validation.recall']);
    expect(verdict.comparisons.some((c) => c.path === 'run.backend')).toBe(false);
  });

  it('reports a replay that fails', async () => {
    const { record } = await makeRun();
    const verdict = await reproduceRun(
      record,
      async () => {
        throw new Error('worker lost');
      },
      { appVersion: '0.1.0' },
    );
    expect(verdict).toMatchObject({ status: 'failed', replayBackend: null });
    expect(verdict.summary).toMatch(/worker lost/);
  });
});
