/**
 * Model weights as bytes, the way the registry stores them and tfjs's `.bin` files hold them:
 * float32, little-endian, layer by layer, each layer's kernel (row-major inputSize × outputSize)
 * then its bias — the same order as `tf-mlp.ts`'s flat parameter vector.
 */
import { parameterCount, type ModelWeights } from '../ml/weights';
import { bytesSha256Hex, type ModelSpec, type WeightsRef } from './record';

/** Bytes per float32 weight. */
export const BYTES_PER_WEIGHT = 4;

/** Encodes weights as float32 little-endian bytes (4 × parameters bytes). */
export function encodeWeights(weights: ModelWeights): Uint8Array {
  const bytes = new Uint8Array(parameterCount(weights) * BYTES_PER_WEIGHT);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const layer of weights) {
    for (const values of [layer.kernel, layer.bias]) {
      for (const value of values) {
        view.setFloat32(at, value, true);
        at += BYTES_PER_WEIGHT;
      }
    }
  }
  return bytes;
}

/** Parameters of a stack of layers: Σ (inputSize × outputSize + outputSize). */
export function parametersOf(layers: readonly { inputSize: number; outputSize: number }[]): number {
  return layers.reduce((total, l) => total + l.inputSize * l.outputSize + l.outputSize, 0);
}

/**
 * Decodes bytes into weights of the given layer shapes. Throws a RangeError when the byte length
 * is not exactly 4 × parameters (a truncated or padded file).
 */
export function decodeWeights(
  bytes: Uint8Array,
  layers: readonly { inputSize: number; outputSize: number }[],
): ModelWeights {
  const expected = parametersOf(layers) * BYTES_PER_WEIGHT;
  if (bytes.byteLength !== expected) {
    throw new RangeError(
      `the weights take ${bytes.byteLength} bytes, but this model needs exactly ${expected} (${expected / BYTES_PER_WEIGHT} float32 values)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const read = (length: number): Float32Array => {
    const values = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      values[i] = view.getFloat32(at, true);
      at += BYTES_PER_WEIGHT;
    }
    return values;
  };
  return layers.map(({ inputSize, outputSize }) => ({
    inputSize,
    outputSize,
    kernel: read(inputSize * outputSize),
    bias: read(outputSize),
  }));
}

/** The model spec of dense-layer weights (ReLU between layers, a sigmoid on the logit). */
export function modelSpecOf(weights: ModelWeights, family: string): ModelSpec {
  return {
    family,
    layers: weights.map(({ inputSize, outputSize }) => ({ inputSize, outputSize })),
    hiddenActivation: 'relu',
    outputActivation: 'sigmoid',
    parameters: parameterCount(weights),
  };
}

/** The record's description of encoded weights: dtype, byte length and SHA-256 of the bytes. */
export async function describeWeightBytes(bytes: Uint8Array): Promise<Omit<WeightsRef, 'key'>> {
  return { dtype: 'float32', byteLength: bytes.byteLength, sha256: await bytesSha256Hex(bytes) };
}
