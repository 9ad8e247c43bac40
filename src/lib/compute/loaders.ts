/**
 * Loaders for the four tfjs backends, each a dynamic import so that a backend's code is fetched
 * only when it is first asked for.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendLoaders } from './backends';

/** Where the WASM backend's binaries are served from (hashed asset URLs in the built site). */
export interface WasmBinaryUrls {
  'tfjs-backend-wasm.wasm': string;
  'tfjs-backend-wasm-simd.wasm': string;
  'tfjs-backend-wasm-threaded-simd.wasm': string;
}

/**
 * Backend loaders for a browser or worker. WASM threads are switched off: the threaded build
 * rebuilds its worker from source text, which breaks after minification, and on a 2-core laptop
 * threads bring little. SIMD stays on wherever the browser validates it.
 */
export function createBackendLoaders(wasmUrls: WasmBinaryUrls): BackendLoaders {
  return {
    cpu: () => import('@tensorflow/tfjs-backend-cpu'),
    wasm: async () => {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      wasm.setWasmPaths({ ...wasmUrls });
    },
    webgl: () => import('@tensorflow/tfjs-backend-webgl'),
    webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  };
}
