import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { activateBackend, type BackendLoaders } from '@lib/compute/backends';
import { backendAttemptOrder, SAFE_ORDER } from '@lib/compute/backend-names';
import { trainWithFallback, type FallbackEvent } from '@lib/compute/fallback';
import { probeBackends } from '@lib/compute/probe';
import { parseSimulatedFault } from '@lib/compute/fault';
import { BackendFaultError, trainOnActiveBackend } from '@lib/ml/train';
import { makeFraudDataset } from '@lib/data/fraud-features';
import { initialWeights } from '@lib/ml/weights';

/**
 * A real tfjs backend that breaks mid-run: a CPU backend registered under the name "webgl"
 * (which Node does not have), whose kernels throw once `faultAfterKernelCalls` calls have run.
 */
let flakyCalls = 0;
let faultAfterKernelCalls = Number.POSITIVE_INFINITY;
function registerFlakyBackend(): void {
  if (tf.findBackendFactory('webgl')) return;
  tf.registerBackend('webgl', () => new MathBackendCPU());
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    tf.registerKernel({
      ...kernel,
      backendName: 'webgl',
      kernelFunc: (args) => {
        flakyCalls++;
        if (flakyCalls > faultAfterKernelCalls)
          throw new Error('device lost (simulated in a kernel)');
        return kernel.kernelFunc(args);
      },
    });
  }
}

const loaders: BackendLoaders = {
  cpu: async () => {},
  wasm: async () => {
    throw new Error('no wasm here');
  },
  webgl: async () => registerFlakyBackend(),
  webgpu: async () => {
    throw new Error('no adapter');
  },
};

describe('backendAttemptOrder', () => {
  it('puts a requested backend first and keeps the safe order as fallbacks', () => {
    expect(backendAttemptOrder('webgpu', null)).toEqual(['webgpu', 'wasm', 'cpu', 'webgl']);
    expect(backendAttemptOrder('cpu', ['webgl', 'wasm'])).toEqual([
      'cpu',
      'wasm',
      'webgl',
      'webgpu',
    ]);
  });
  it('uses the measured ranking for auto, else the safe order', () => {
    expect(backendAttemptOrder('auto', null)).toEqual([...SAFE_ORDER]);
    expect(backendAttemptOrder('auto', ['webgl', 'cpu'])).toEqual([
      'webgl',
      'cpu',
      'wasm',
      'webgpu',
    ]);
  });
});

describe('activateBackend', () => {
  it('reports a backend that cannot start, with the reason, and leaves the current one', async () => {
    expect(await activateBackend('cpu', loaders)).toEqual({ ok: true, backend: 'cpu' });
    const result = await activateBackend('webgpu', loaders);
    expect(result).toEqual({ ok: false, backend: 'webgpu', reason: 'no adapter' });
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('trainWithFallback', () => {
  it('skips a backend that will not start and resumes on the next one after a mid-run fault', async () => {
    const data = makeFraudDataset({ rows: 3000, seed: 3 });
    const events: FallbackEvent[] = [];
    flakyCalls = 0;
    // About 2.5 epochs of kernel calls on this data before the fault strikes.
    faultAfterKernelCalls = 2_000;
    const epochs: number[] = [];
    const outcome = await trainWithFallback(
      ['webgpu', 'webgl', 'cpu'],
      loaders,
      data.train,
      data.validation,
      {
        learningRate: 0.01,
        epochs: 6,
        batchSize: 256,
        positiveWeight: 1,
        seed: 3,
        weights: initialWeights(data.train.featureCount, [8], 3),
        onEpoch: (report) => epochs.push(report.epoch),
      },
      (event) => events.push(event),
    );
    faultAfterKernelCalls = Number.POSITIVE_INFINITY;
    expect(outcome.status).toBe('completed');
    expect(outcome.backend).toBe('cpu');
    expect(outcome.failures.map((f) => `${f.backend}/${f.stage}`)).toEqual([
      'webgpu/start',
      'webgl/mid-run',
    ]);
    const midRun = outcome.failures[1]!;
    expect(midRun.reason).toContain('device lost');
    expect(midRun.epochsCompleted).toBeGreaterThanOrEqual(1);
    expect(midRun.epochsCompleted).toBeLessThan(6);
    // Every epoch ran exactly once, in order, across the two backends.
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outcome.history.map((r) => r.backend)).toEqual([
      ...Array(midRun.epochsCompleted).fill('webgl'),
      ...Array(6 - midRun.epochsCompleted).fill('cpu'),
    ]);
    expect(events).toContainEqual({
      type: 'backend-started',
      backend: 'cpu',
      resumedFromEpoch: midRun.epochsCompleted,
    });
    // The resumed epoch continues from trained weights: its loss is below the very first epoch's.
    const resumed = outcome.history[midRun.epochsCompleted]!;
    expect(resumed.trainLoss).toBeLessThan(outcome.history[0]!.trainLoss);
  });

  it('fails with every reason when no backend can run', async () => {
    await expect(
      trainWithFallback(
        ['webgpu', 'wasm'],
        loaders,
        makeFraudDataset({ rows: 1000, seed: 1 }).train,
        makeFraudDataset({ rows: 1000, seed: 1 }).validation,
        {
          learningRate: 0.01,
          epochs: 1,
          batchSize: 256,
          positiveWeight: 1,
          seed: 1,
          weights: initialWeights(14, [], 1),
        },
      ),
    ).rejects.toThrow(/webgpu: no adapter; wasm: no wasm here/);
  });
});

describe('trainOnActiveBackend and a lost device', () => {
  it('stops at the next step after the device is reported lost, keeping the last good weights', async () => {
    await tf.setBackend('cpu');
    const data = makeFraudDataset({ rows: 2000, seed: 5 });
    let loseDevice: (reason: string) => void = () => {};
    const deviceLost = new Promise<string>((resolve) => (loseDevice = resolve));
    const failure = await trainOnActiveBackend(data.train, data.validation, {
      learningRate: 0.01,
      epochs: 5,
      batchSize: 256,
      positiveWeight: 1,
      seed: 5,
      weights: initialWeights(data.train.featureCount, [8], 5),
      deviceLost,
      // The loss is reported between epochs 1 and 2 (a real one arrives from the driver).
      onEpoch: (report) => report.epoch === 1 && loseDevice('the WebGL context was lost'),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendFaultError);
    const fault = failure as BackendFaultError;
    expect(fault.message).toContain('the WebGL context was lost');
    expect(fault.epochsCompleted).toBe(1);
    expect(fault.history.map((report) => report.epoch)).toEqual([1]);
    expect(fault.lastGoodWeights[0]!.kernel.every(Number.isFinite)).toBe(true);
  });
});

describe('probeBackends', () => {
  it('times the backends that start, ranks them, and notes the others', async () => {
    const result = await probeBackends(['webgpu', 'cpu'], loaders, {
      shape: { inputSize: 14, hiddenSizes: [8], batchSize: 64, timedSteps: 2 },
      timeBoxMsPerBackend: 20_000,
    });
    expect(result.ranking).toEqual(['cpu']);
    const cpu = result.probes.find((p) => p.backend === 'cpu');
    expect(cpu?.msPerStep).toBeGreaterThan(0);
    expect(result.probes.find((p) => p.backend === 'webgpu')).toMatchObject({
      msPerStep: null,
      note: 'no adapter',
    });
  });

  it('leaves out a backend slower than its time box', async () => {
    const result = await probeBackends(['cpu'], loaders, {
      shape: { inputSize: 14, hiddenSizes: [256, 256], batchSize: 4096, timedSteps: 50 },
      timeBoxMsPerBackend: 30,
    });
    expect(result.ranking).toEqual([]);
    expect(result.probes[0]?.note).toMatch(/time box/);
  });
});

describe('parseSimulatedFault', () => {
  it('reads backend@epoch.batch[:lost] and ignores anything else', () => {
    expect(parseSimulatedFault('webgpu@2.5')).toEqual({
      backend: 'webgpu',
      epoch: 2,
      batch: 5,
      kind: 'error',
    });
    expect(parseSimulatedFault('webgl@1.0:lost')).toEqual({
      backend: 'webgl',
      epoch: 1,
      batch: 0,
      kind: 'device-lost',
    });
    for (const bad of [
      null,
      '',
      'webgpu',
      'tpu@1.1',
      'wasm@0.1',
      'wasm@1.-1',
      'wasm@1.1;drop',
      'wasm@1.1:lost',
      'webgpu@1.1:gone',
    ]) {
      expect(parseSimulatedFault(bad)).toBeNull();
    }
  });
});
