/**
 * Exporting a run as files and importing it back. The export is the model in TensorFlow.js's
 * `layers-model` format — `model.json` (a Keras-style Sequential topology of Dense layers plus a
 * `weightsManifest`) and one `.bin` of float32 little-endian weights, the format of tfjs-core's
 * `ModelJSON` / `WeightsManifestConfig` (io/types.d.ts), written here without importing tfjs —
 * plus the run record as JSON. The import checks everything before accepting anything and
 * refuses with a plain reason: foreign files, a changed record (hash), a model from another run,
 * weights of the wrong shape, cut short or changed.
 */
import type { ModelWeights } from '../ml/weights';
import { canonicalJson } from '../exercises/receipts';
import { bytesSha256Hex, parseRunRecord, type ModelSpec, type RunRecord } from './record';
import { BYTES_PER_WEIGHT, decodeWeights, parametersOf } from './weights-bytes';

/** One exported or imported file. */
export interface RunFile {
  name: string;
  /** `application/json` or `application/octet-stream`. */
  mediaType: string;
  bytes: Uint8Array;
}

/** One entry of a tfjs weights manifest (tfjs-core `WeightsManifestEntry`, float32 only here). */
export interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/** The `model.json` this module writes: tfjs-core's `ModelJSON` for a layers model. */
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: ManifestEntry[] }[];
  userDefinedMetadata: { mlsdlRun: { id: string; recordHash: string } };
}

/** The file names of an export: `<id>.model.json`, `<id>.weights.bin`, `<id>.record.json`. */
export function exportFileNames(id: string): { model: string; weights: string; record: string } {
  return { model: `${id}.model.json`, weights: `${id}.weights.bin`, record: `${id}.record.json` };
}

function jsonFile(name: string, value: unknown): RunFile {
  return {
    name,
    mediaType: 'application/json',
    bytes: new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`),
  };
}

/** The manifest entries of a model: `dense_<n>/kernel` [in, out] then `dense_<n>/bias` [out]. */
export function manifestEntriesOf(model: ModelSpec): ManifestEntry[] {
  return model.layers.flatMap(({ inputSize, outputSize }, index) => [
    { name: `dense_${index + 1}/kernel`, shape: [inputSize, outputSize], dtype: 'float32' },
    { name: `dense_${index + 1}/bias`, shape: [outputSize], dtype: 'float32' },
  ]);
}

/** The Keras-style Sequential topology tfjs-layers reads: Dense layers, ReLU between, sigmoid out. */
function topologyOf(model: ModelSpec): Record<string, unknown> {
  const last = model.layers.length - 1;
  return {
    class_name: 'Sequential',
    config: {
      name: 'mlsdl_run',
      layers: model.layers.map(({ inputSize, outputSize }, index) => ({
        class_name: 'Dense',
        config: {
          name: `dense_${index + 1}`,
          units: outputSize,
          activation: index === last ? model.outputActivation : model.hiddenActivation,
          use_bias: true,
          dtype: 'float32',
          trainable: true,
          ...(index === 0 ? { batch_input_shape: [null, inputSize] } : {}),
        },
      })),
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

/**
 * The files of a run: its record and, when it has weights, `model.json` and the `.bin`. Throws a
 * RangeError when the weight bytes do not fit the record's model (length 4 × parameters).
 */
export function exportRun(record: RunRecord, weightBytes: Uint8Array | null): RunFile[] {
  const names = exportFileNames(record.id);
  const files: RunFile[] = [];
  if (record.model !== null && record.weights !== null) {
    if (weightBytes === null)
      throw new RangeError(`run ${record.id} has weights, but none were given`);
    const expected = parametersOf(record.model.layers) * BYTES_PER_WEIGHT;
    if (weightBytes.byteLength !== expected) {
      throw new RangeError(
        `run ${record.id}: ${weightBytes.byteLength} weight bytes given, ${expected} expected`,
      );
    }
    const modelJson: TfjsModelJson = {
      format: 'layers-model',
      generatedBy: `ML Systems Design Lab ${record.appVersion}`,
      convertedBy: null,
      modelTopology: topologyOf(record.model),
      weightsManifest: [{ paths: [names.weights], weights: manifestEntriesOf(record.model) }],
      userDefinedMetadata: { mlsdlRun: { id: record.id, recordHash: record.recordHash } },
    };
    files.push(jsonFile(names.model, modelJson));
    files.push({
      name: names.weights,
      mediaType: 'application/octet-stream',
      bytes: weightBytes.slice(),
    });
  }
  files.push(jsonFile(names.record, JSON.parse(canonicalJson(record))));
  return files;
}

/** The outcome of an import. */
export type ImportedRun =
  | {
      ok: true;
      record: RunRecord;
      /** The weight bytes as stored (null for a run without weights). */
      weightBytes: Uint8Array | null;
      /** The weights decoded into layers (null for a run without weights). */
      weights: ModelWeights | null;
    }
  | { ok: false; reason: string };

function readJson(file: RunFile): { ok: true; value: unknown } | { ok: false } {
  try {
    return {
      ok: true,
      value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.bytes)),
    };
  } catch {
    return { ok: false };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const refuse = (reason: string): ImportedRun => ({
  ok: false,
  reason: `Nothing was imported. ${reason}`,
});

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Checks a parsed model.json against the record; returns the .bin's name or a reason. */
function checkModelJson(
  value: Record<string, unknown>,
  record: RunRecord,
  model: ModelSpec,
): { ok: true; bin: string } | { ok: false; reason: string } {
  const meta = isObject(value['userDefinedMetadata'])
    ? value['userDefinedMetadata']['mlsdlRun']
    : undefined;
  if (value['format'] !== 'layers-model' || !isObject(meta)) {
    return {
      ok: false,
      reason: 'The model.json was not exported by this course (it lacks the run it belongs to).',
    };
  }
  if (meta['id'] !== record.id || meta['recordHash'] !== record.recordHash) {
    return {
      ok: false,
      reason: `The model and the record come from different runs (model.json is for ${JSON.stringify(meta['id'])}, the record is ${record.id}).`,
    };
  }
  const manifest = value['weightsManifest'];
  const group = Array.isArray(manifest) && manifest.length === 1 ? manifest[0] : undefined;
  if (
    !isObject(group) ||
    !Array.isArray(group['paths']) ||
    group['paths'].length !== 1 ||
    typeof group['paths'][0] !== 'string' ||
    !Array.isArray(group['weights'])
  ) {
    return {
      ok: false,
      reason:
        'The model.json has no usable weightsManifest (expected one group with one weights file).',
    };
  }
  const entries = group['weights'] as unknown[];
  const expected = manifestEntriesOf(model);
  if (entries.length !== expected.length) {
    return {
      ok: false,
      reason: `The model.json lists ${entries.length} weight tensors, but the record's model (${model.layers.length} layers) has ${expected.length}.`,
    };
  }
  for (const [index, want] of expected.entries()) {
    const got = entries[index];
    if (!isObject(got))
      return {
        ok: false,
        reason: `Weight tensor ${index + 1} of the model.json is not described.`,
      };
    if (got['dtype'] !== 'float32' || got['quantization'] !== undefined) {
      return {
        ok: false,
        reason: `${want.name} is stored as ${JSON.stringify(got['dtype'])}${got['quantization'] !== undefined ? ' (quantised)' : ''}; only plain float32 weights can be imported.`,
      };
    }
    const shape = Array.isArray(got['shape']) ? (got['shape'] as unknown[]) : [];
    if (got['name'] !== want.name || canonicalJson(shape) !== canonicalJson(want.shape)) {
      return {
        ok: false,
        reason: `Shape mismatch: the model.json has ${String(got['name'])} with shape ${shapeText(shape as number[])}, but the record's model needs ${want.name} with shape ${shapeText(want.shape)}.`,
      };
    }
  }
  return { ok: true, bin: group['paths'][0] as string };
}

/**
 * Imports a run from its exported files (any order; matched by content and by the manifest's
 * file name). Checks, in order: the files are readable JSON where expected; a run record is
 * among them and is ours, readable and unchanged (hash); when it has weights, a model.json of the
 * same run whose manifest matches the record's model shape, and the `.bin` it names, exactly
 * 4 × parameters bytes long and with the record's SHA-256. Never throws.
 */
export async function importRun(files: readonly RunFile[]): Promise<ImportedRun> {
  if (files.length === 0) return refuse('No files were given.');
  let recordValue: unknown;
  let recordName: string | undefined;
  let modelValue: Record<string, unknown> | undefined;
  const others: RunFile[] = [];
  for (const file of files) {
    if (!file.name.toLowerCase().endsWith('.json')) {
      others.push(file);
      continue;
    }
    const json = readJson(file);
    if (!json.ok) return refuse(`${file.name} is not valid JSON text.`);
    const value = json.value;
    if (isObject(value) && 'weightsManifest' in value) {
      if (modelValue !== undefined)
        return refuse('More than one model.json was given; import one run at a time.');
      modelValue = value;
    } else {
      if (recordName !== undefined)
        return refuse(
          `Both ${recordName} and ${file.name} look like run records; import one run at a time.`,
        );
      recordValue = value;
      recordName = file.name;
    }
  }
  if (recordName === undefined)
    return refuse('No run record (the .record.json file) was among the files.');
  const parsed = await parseRunRecord(recordValue);
  if (!parsed.ok) return refuse(`${recordName}: ${parsed.reason}`);
  const record = parsed.record;
  if (record.weights === null || record.model === null) {
    if (modelValue !== undefined || others.length > 0) {
      return refuse(
        'The record says this run has no trained weights, but model files came with it.',
      );
    }
    return { ok: true, record, weightBytes: null, weights: null };
  }
  if (modelValue === undefined)
    return refuse('The model.json file of this run is missing; it is needed for its weights.');
  const model = checkModelJson(modelValue, record, record.model);
  if (!model.ok) return refuse(model.reason);
  const bin = others.find((file) => file.name === model.bin);
  if (bin === undefined)
    return refuse(`The weights file ${model.bin} named by the model.json is missing.`);
  const expectedBytes = parametersOf(record.model.layers) * BYTES_PER_WEIGHT;
  if (bin.bytes.byteLength !== expectedBytes) {
    return refuse(
      bin.bytes.byteLength < expectedBytes
        ? `The weights file ${bin.name} is cut short: ${bin.bytes.byteLength} bytes, but this model needs ${expectedBytes}.`
        : `The weights file ${bin.name} is too long: ${bin.bytes.byteLength} bytes, but this model needs ${expectedBytes}.`,
    );
  }
  if ((await bytesSha256Hex(bin.bytes)) !== record.weights.sha256) {
    return refuse(
      `The weights in ${bin.name} were changed after export: they do not match the record's SHA-256.`,
    );
  }
  const weightBytes = bin.bytes.slice();
  return {
    ok: true,
    record,
    weightBytes,
    weights: decodeWeights(weightBytes, record.model.layers),
  };
}
