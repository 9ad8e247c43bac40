import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeRecordHash,
  dataVersionHash,
  metricsFromState,
  parseRunRecord,
  RUN_RECORD_FORMAT,
  uploadDataVersion,
} from '../../src/lib/registry/record';
import { decodeWeights, encodeWeights, parametersOf } from '../../src/lib/registry/weights-bytes';
import { makeRun, smallWeights } from './registry-fixtures';

/** SHA-256 by Node's own crypto, independent of the Web Crypto code under test. */
const nodeSha256 = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

describe('dataVersionHash', () => {
  it('hashes the canonical JSON of generator, params and seed (written out by hand here)', async () => {
    const hash = await dataVersionHash({
      generator: 'fraud-features',
      params: { rows: 20000, fraudRatePercent: 1 },
      seed: 42,
    });
    expect(hash).toBe(
      nodeSha256(
        '{"generator":"fraud-features","params":{"fraudRatePercent":1,"rows":20000},"seed":42}',
      ),
    );
  });

  it('ignores key order but not values or the seed', async () => {
    const a = await dataVersionHash({ generator: 'g', params: { a: 1, b: 2 }, seed: 1 });
    const b = await dataVersionHash({ generator: 'g', params: { b: 2, a: 1 }, seed: 1 });
    const c = await dataVersionHash({ generator: 'g', params: { a: 1, b: 2 }, seed: 2 });
    const d = await dataVersionHash({ generator: 'g', params: { a: 1, b: 3 }, seed: 1 });
    expect(a).toBe(b);
    expect(new Set([a, c, d]).size).toBe(3);
  });

  it('hashes an uploaded file by its bytes (SHA-256 of "abc" is the FIPS 180-2 test vector)', async () => {
    const bytes = new TextEncoder().encode('abc');
    expect(await dataVersionHash(bytes)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await uploadDataVersion('fraud.csv', bytes)).toEqual({
      kind: 'upload',
      fileName: 'fraud.csv',
      bytes: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
  });
});

describe('run records', () => {
  it('round-trip through JSON text unchanged and valid', async () => {
    const { record } = await makeRun();
    const parsed = await parseRunRecord(JSON.parse(JSON.stringify(record)));
    expect(parsed).toEqual({ ok: true, record });
    expect(record.format).toBe(RUN_RECORD_FORMAT);
    expect(record.version).toBe(1);
    expect(record.id).toMatch(/^run-[0-9a-f]{16}$/);
    expect(record.weights?.key).toBe(`weights/${record.id}`);
    expect(record.model?.parameters).toBe(11);
    expect(record.weights?.byteLength).toBe(44);
  });

  it('seals every field: the hash is SHA-256 of the canonical JSON without recordHash', async () => {
    const { record } = await makeRun();
    const body: Record<string, unknown> = { ...record };
    delete body['recordHash'];
    // Canonical JSON sorts keys; JSON.stringify of a key-sorted copy gives the same text here.
    const sorted = JSON.stringify(body, (_key, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
          )
        : value,
    );
    expect(record.recordHash).toBe(nodeSha256(sorted));
    expect(await computeRecordHash(record)).toBe(record.recordHash);
  });

  it('gives the same id to the same run and different ids to different runs', async () => {
    const a = await makeRun();
    const b = await makeRun();
    const c = await makeRun({ seed: 7 });
    expect(a.record.id).toBe(b.record.id);
    expect(c.record.id).not.toBe(a.record.id);
  });

  it('refuses foreign, newer, damaged and edited records with a plain reason', async () => {
    const { record } = await makeRun();
    const cases: [unknown, RegExp][] = [
      [null, /not a run record/],
      [{ format: 'mlsdl-receipt', version: 1 }, /not a run record/],
      [{ ...record, version: 2 }, /format version 2/],
      [{ ...record, createdAt: 'yesterday' }, /damaged: createdAt/],
      [
        { ...record, metrics: { 'validation.rocAuc': 0.99, 'run.status': 'completed' } },
        /changed after it was saved/,
      ],
      [{ ...record, backend: 'webgpu' }, /changed after it was saved/],
    ];
    for (const [value, reason] of cases) {
      const parsed = await parseRunRecord(value);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(reason);
    }
  });

  it('refuses to create an invalid record', async () => {
    await expect(makeRun({ sandbox: '' })).rejects.toThrow(/sandbox/);
  });

  it('keeps only results as metrics', () => {
    expect(
      metricsFromState({
        'settings.epochs': 10,
        'input.seed': 1,
        'run.epochs': 10,
        'test.f1': 0.5,
      }),
    ).toEqual({ 'run.epochs': 10, 'test.f1': 0.5 });
  });
});

describe('weight bytes', () => {
  it('are float32 little-endian, kernel then bias, layer by layer', () => {
    const bytes = encodeWeights(smallWeights());
    expect(bytes.byteLength).toBe(44);
    // IEEE 754 single: 0.5 = 0x3f000000, -1 = 0xbf800000; little-endian puts the low byte first.
    expect([...bytes.subarray(0, 8)]).toEqual([0, 0, 0, 0x3f, 0, 0, 0x80, 0xbf]);
    // The last value is the output bias 0.0625 = 2^-4 = 0x3d800000.
    expect([...bytes.subarray(40)]).toEqual([0, 0, 0x80, 0x3d]);
  });

  it('decode back to the same weights and refuse a wrong length', () => {
    const weights = smallWeights();
    const shapes = weights.map(({ inputSize, outputSize }) => ({ inputSize, outputSize }));
    expect(parametersOf(shapes)).toBe(11);
    expect(decodeWeights(encodeWeights(weights), shapes)).toEqual(weights);
    expect(() => decodeWeights(encodeWeights(weights).subarray(0, 40), shapes)).toThrow(
      /exactly 44/,
    );
  });
});
