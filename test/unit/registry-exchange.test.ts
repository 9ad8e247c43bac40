import { describe, expect, it } from 'vitest';
import {
  exportRun,
  importRun,
  type RunFile,
  type TfjsModelJson,
} from '../../src/lib/registry/exchange';

/** The Dense layers of the topology as written. */
interface DenseLayer {
  class_name: string;
  config: { units: number; activation: string; batch_input_shape?: unknown };
}
import { makeRun, smallWeights } from './registry-fixtures';

const text = (file: RunFile): string => new TextDecoder().decode(file.bytes);
const json = (value: unknown, name: string): RunFile => ({
  name,
  mediaType: 'application/json',
  bytes: new TextEncoder().encode(JSON.stringify(value)),
});

async function exported() {
  const run = await makeRun();
  const files = exportRun(run.record, run.bytes);
  const [model, bin, record] = files as [RunFile, RunFile, RunFile];
  return {
    run,
    files,
    model,
    bin,
    record,
    modelJson: JSON.parse(text(model)) as TfjsModelJson,
  };
}

async function refusal(files: RunFile[]): Promise<string> {
  const result = await importRun(files);
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.reason;
}

describe('exportRun', () => {
  it('writes a tfjs layers-model model.json, a float32 .bin and the record', async () => {
    const { run, files, modelJson, bin } = await exported();
    const id = run.record.id;
    expect(files.map((f) => f.name)).toEqual([
      `${id}.model.json`,
      `${id}.weights.bin`,
      `${id}.record.json`,
    ]);
    expect(modelJson['format']).toBe('layers-model');
    expect(modelJson['weightsManifest']).toEqual([
      {
        paths: [`${id}.weights.bin`],
        weights: [
          { name: 'dense_1/kernel', shape: [3, 2], dtype: 'float32' },
          { name: 'dense_1/bias', shape: [2], dtype: 'float32' },
          { name: 'dense_2/kernel', shape: [2, 1], dtype: 'float32' },
          { name: 'dense_2/bias', shape: [1], dtype: 'float32' },
        ],
      },
    ]);
    const layers = (modelJson.modelTopology['config'] as { layers: DenseLayer[] }).layers;
    expect(layers.map((l) => [l.class_name, l.config.units, l.config.activation])).toEqual([
      ['Dense', 2, 'relu'],
      ['Dense', 1, 'sigmoid'],
    ]);
    expect(layers[0]?.config.batch_input_shape).toEqual([null, 3]);
    // 11 float32 values = 44 bytes, the same bytes the registry stores.
    expect(bin.bytes).toEqual(run.bytes);
  });
});

describe('importRun', () => {
  it('round-trips a run: record, bytes and decoded weights', async () => {
    const { run, files } = await exported();
    const result = await importRun([...files].reverse());
    expect(result).toEqual({
      ok: true,
      record: run.record,
      weightBytes: run.bytes,
      weights: smallWeights(),
    });
  });

  it('imports a run without weights from its record alone', async () => {
    const { record } = await makeRun({
      model: null,
      weights: null,
      sandbox: 'returns',
      backend: 'js',
    });
    const files = exportRun(record, null);
    expect(files).toHaveLength(1);
    expect(await importRun(files)).toEqual({ ok: true, record, weightBytes: null, weights: null });
  });

  it('refuses bad files with a plain reason and imports nothing', async () => {
    const { run, model, bin, record, modelJson } = await exported();
    const recordJson = JSON.parse(text(record)) as Record<string, unknown>;
    const other = await makeRun({ seed: 7 });
    const otherRecord = exportRun(other.record, other.bytes)[2]!;
    const shifted = structuredClone(modelJson);
    shifted.weightsManifest[0]!.weights[0]!.shape = [2, 3];
    const halved = structuredClone(modelJson);
    halved.weightsManifest[0]!.weights[0]!.dtype = 'float16';
    const changedBin = { ...bin, bytes: bin.bytes.slice() };
    changedBin.bytes[43] = 0x3e;

    const cases: [string, RunFile[], RegExp][] = [
      ['no files', [], /No files/],
      ['a foreign JSON file', [json({ hello: 'world' }, 'data.json')], /not a run record/],
      ['broken JSON', [{ ...record, bytes: record.bytes.subarray(0, 20) }], /not valid JSON/],
      ['no record', [model, bin], /No run record/],
      [
        'a newer record format',
        [json({ ...recordJson, version: 9 }, 'r.json'), model, bin],
        /format version 9/,
      ],
      [
        'a tampered record',
        [json({ ...recordJson, seed: 1 }, 'r.json'), model, bin],
        /changed after it was saved/,
      ],
      ['a missing model.json', [record, bin], /model\.json .*missing/],
      [
        'a foreign model.json',
        [record, bin, json({ format: 'graph-model', weightsManifest: [] }, 'model.json')],
        /not exported by this course/,
      ],
      ['a model from another run', [otherRecord, model, bin], /different runs/],
      [
        'a shape mismatch',
        [record, bin, json(shifted, 'model.json')],
        /Shape mismatch: .*dense_1\/kernel with shape \[2, 3\].*\[3, 2\]/,
      ],
      ['a quantised weight', [record, bin, json(halved, 'model.json')], /only plain float32/],
      ['a missing .bin', [record, model], /weights file .*\.weights\.bin .*missing/],
      [
        'truncated weights',
        [record, model, { ...bin, bytes: bin.bytes.subarray(0, 40) }],
        /cut short: 40 bytes, .*needs 44/,
      ],
      [
        'padded weights',
        [record, model, { ...bin, bytes: new Uint8Array(48) }],
        /too long: 48 bytes/,
      ],
      ['changed weights', [record, model, changedBin], /changed after export/],
      ['two records', [record, otherRecord, model, bin], /look like run records/],
    ];
    for (const [what, files, reason] of cases) {
      const message = await refusal(files);
      expect(message, what).toMatch(reason);
      expect(message, what).toMatch(/^Nothing was imported\./);
    }
    expect(cases.length).toBeGreaterThanOrEqual(8);
    expect(run.record.id).not.toBe(other.record.id);
  });
});
