/**
 * The compute backends the course can train on, and how to bring one up. tfjs backends register
 * themselves when their package is imported, so each is loaded on demand: a learner who never
 * asks for WebGPU never downloads it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './backend-names';

/** Loads (imports and configures) a backend's package so that tfjs can set it. */
export type BackendLoader = () => Promise<unknown>;

/** One loader per backend. */
export type BackendLoaders = Record<BackendName, BackendLoader>;

/** Whether a backend came up, and if not, why in plain words. */
export type ActivationResult =
  { ok: true; backend: BackendName } | { ok: false; backend: BackendName; reason: string };

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Loads and switches to a backend, within a time limit. Success is read from tf.getBackend()
 * afterwards, because setBackend can report failure quietly (WebGPU without an adapter).
 */
export async function activateBackend(
  name: BackendName,
  loaders: BackendLoaders,
  timeoutMs = 15_000,
): Promise<ActivationResult> {
  try {
    await withTimeout(loaders[name](), timeoutMs, `Loading ${name}`);
    const switched = await withTimeout(tf.setBackend(name), timeoutMs, `Starting ${name}`);
    if (!switched || tf.getBackend() !== name) {
      return { ok: false, backend: name, reason: `${name} is not available in this browser` };
    }
    await tf.ready();
    return { ok: true, backend: name };
  } catch (error) {
    return {
      ok: false,
      backend: name,
      reason: error instanceof Error ? error.message : String(error),
    };
  }
}

/** A watch on the active backend's GPU device: resolves `lost` with a reason, until stopped. */
export interface DeviceWatch {
  lost: Promise<string>;
  stop(): void;
}

/** How often a WebGL context is polled for loss, besides its `webglcontextlost` event. */
const CONTEXT_POLL_MS = 250;

/**
 * Watches the active backend's device for loss: WebGPU through `GPUDevice.lost`, WebGL through
 * the canvas's `webglcontextlost` event and `isContextLost()` (polled, since an OffscreenCanvas in
 * a worker may not fire the event). Returns null for backends without a device (cpu, wasm).
 */
export function watchActiveDevice(): DeviceWatch | null {
  const active = tf.backend() as unknown as {
    device?: GPUDevice;
    gpgpu?: { gl?: WebGLRenderingContext | WebGL2RenderingContext };
  };
  const name = tf.getBackend();
  if (name === 'webgpu' && active.device) {
    let stopped = false;
    const lost = active.device.lost.then((info) =>
      stopped
        ? new Promise<string>(() => {})
        : `the WebGPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''})`,
    );
    return { lost, stop: () => (stopped = true) };
  }
  const gl = active.gpgpu?.gl;
  if (name === 'webgl' && gl) {
    let timer: ReturnType<typeof setInterval> | undefined;
    let onLost: (() => void) | undefined;
    const canvas = gl.canvas as EventTarget;
    const lost = new Promise<string>((resolve) => {
      const reason = 'the WebGL context was lost';
      onLost = () => resolve(reason);
      canvas.addEventListener('webglcontextlost', onLost);
      timer = setInterval(() => {
        if (gl.isContextLost()) resolve(reason);
      }, CONTEXT_POLL_MS);
    });
    return {
      lost,
      stop() {
        clearInterval(timer);
        if (onLost) canvas.removeEventListener('webglcontextlost', onLost);
      },
    };
  }
  return null;
}
