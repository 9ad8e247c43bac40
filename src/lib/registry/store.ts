/**
 * The run registry: saves, lists, sorts, reads and deletes run records and their weights over an
 * injected {@link RegistryBackend} (IndexedDB in the page, a Map in tests), and reports storage
 * usage through an injected `navigator.storage.estimate`-like function.
 *
 * Failures are never swallowed: every storage failure rejects with a {@link RegistryError} whose
 * `kind` says what happened (`quota-exceeded`, `write-failed`, `read-failed`, `damaged`,
 * `invalid`) and whose message is plain words the page can show. A record is written after its
 * weights, so a listed run always has its weights; when the record's write fails, the weights
 * just written are removed again.
 */
import { canonicalJson } from '../exercises/receipts';
import type { EstimateFunction, RegistryBackend } from './backend';
import { bytesSha256Hex, parseRunRecord, type DataVersion, type RunRecord } from './record';

/** The data version of an uploaded file. */
type UploadDataVersion = Extract<DataVersion, { kind: 'upload' }>;

/** Key prefix of records: `run/<id>`. */
export const RECORD_KEY_PREFIX = 'run/';

/** The key under which the bytes of an uploaded data file are kept: `data/<sha256>`. */
export function uploadedDataKeyOf(sha256: string): string {
  return `data/${sha256}`;
}

/** The registry key of a run's record. */
export function recordKeyOf(id: string): string {
  return `${RECORD_KEY_PREFIX}${id}`;
}

/** What went wrong in the registry. */
export type RegistryErrorKind =
  'quota-exceeded' | 'write-failed' | 'read-failed' | 'damaged' | 'invalid';

/** A registry failure the caller must handle and show; `message` is plain words. */
export class RegistryError extends Error {
  /** What went wrong. */
  readonly kind: RegistryErrorKind;

  constructor(kind: RegistryErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryError';
    this.kind = kind;
  }
}

function errorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const named = error as { name?: unknown; error?: { name?: unknown } | null };
  const inner =
    named.error && typeof named.error === 'object' ? String(named.error.name ?? '') : '';
  return inner === 'QuotaExceededError' ? inner : String(named.name ?? '');
}

/** true when a storage error is the browser's full-quota error (also when wrapped in `.error`, as IndexedDB does). */
export function isQuotaError(error: unknown): boolean {
  return errorName(error) === 'QuotaExceededError';
}

function detail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function writeError(what: string, error: unknown): RegistryError {
  return isQuotaError(error)
    ? new RegistryError(
        'quota-exceeded',
        `${what} could not be saved: this browser's storage for this site is full. Delete some saved runs (or export them first) and try again.`,
        { cause: error },
      )
    : new RegistryError(
        'write-failed',
        `${what} could not be saved: the browser refused to store it (${detail(error)}).`,
        {
          cause: error,
        },
      );
}

/** How to order a list of runs: by time, or by a metric (runs without it go last). */
export interface SortOrder {
  by: 'createdAt' | { metric: string };
  direction: 'asc' | 'desc';
}

/** A stored record that could not be read; it is left in storage, never deleted. */
export interface UnreadableRun {
  key: string;
  reason: string;
}

/** What {@link RunRegistry.list} returns. */
export interface RunList {
  runs: RunRecord[];
  unreadable: UnreadableRun[];
}

/** Storage use as the learner reads it. */
export type UsageReport =
  | {
      available: true;
      usageBytes: number;
      /** null when the browser gives no quota. */
      quotaBytes: number | null;
      /** usage ÷ quota, 0 to 1; null without a quota. */
      usedShare: number | null;
      message: string;
    }
  | { available: false; message: string };

/**
 * Sorts runs (a copy). `createdAt` compares the ISO times; a metric compares numbers, and runs
 * whose metric is missing or not a number go last in either direction. Ties keep the id order.
 */
export function sortRuns(runs: readonly RunRecord[], order: SortOrder): RunRecord[] {
  const sign = order.direction === 'asc' ? 1 : -1;
  const byId = (a: RunRecord, b: RunRecord): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...runs].sort((a, b) => {
    if (order.by === 'createdAt') {
      const c = a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
      return c !== 0 ? sign * c : byId(a, b);
    }
    const path = order.by.metric;
    const x = a.metrics[path];
    const y = b.metrics[path];
    const xn = typeof x === 'number';
    const yn = typeof y === 'number';
    if (xn && yn && x !== y) return sign * (x < y ? -1 : 1);
    if (xn !== yn) return xn ? -1 : 1;
    return byId(a, b);
  });
}

/** Bytes as the learner reads them: `512 B`, `3.4 KB`, `12.0 MB`, `1.50 GB` (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Options of {@link RunRegistry}. */
export interface RunRegistryOptions {
  backend: RegistryBackend;
  /** `navigator.storage.estimate` or a stand-in; absent when the browser has none. */
  estimate?: EstimateFunction;
}

/** The run registry; see the module comment. */
export class RunRegistry {
  readonly #backend: RegistryBackend;
  readonly #estimate: EstimateFunction | undefined;

  constructor(options: RunRegistryOptions) {
    this.#backend = options.backend;
    this.#estimate = options.estimate;
  }

  /**
   * Saves a record and its weight bytes (null when the record has none). Rejects with
   * `invalid` when the record fails validation or the bytes do not match `record.weights`, and
   * with `quota-exceeded` or `write-failed` when storage refuses.
   */
  async save(record: RunRecord, weightBytes: Uint8Array | null): Promise<void> {
    let text: string;
    try {
      text = canonicalJson(record);
    } catch (error) {
      throw new RegistryError('invalid', `The run was not saved: ${detail(error)}.`, {
        cause: error,
      });
    }
    const parsed = await parseRunRecord(JSON.parse(text));
    if (!parsed.ok) throw new RegistryError('invalid', `The run was not saved. ${parsed.reason}`);
    const ref = parsed.record.weights;
    if ((ref === null) !== (weightBytes === null)) {
      throw new RegistryError(
        'invalid',
        ref === null
          ? 'The run was not saved: its record says it has no weights, but weights were given.'
          : 'The run was not saved: its record names weights, but none were given.',
      );
    }
    if (ref !== null && weightBytes !== null) {
      if (
        weightBytes.byteLength !== ref.byteLength ||
        (await bytesSha256Hex(weightBytes)) !== ref.sha256
      ) {
        throw new RegistryError(
          'invalid',
          'The run was not saved: the weights given are not the ones its record describes.',
        );
      }
      try {
        await this.#backend.put(ref.key, weightBytes);
      } catch (error) {
        throw writeError(`The weights of run ${record.id}`, error);
      }
    }
    try {
      await this.#backend.put(recordKeyOf(record.id), text);
    } catch (error) {
      const failure = writeError(`Run ${record.id}`, error);
      if (ref !== null) {
        try {
          await this.#backend.delete(ref.key);
        } catch (cleanup) {
          throw new RegistryError(
            failure.kind,
            `${failure.message} Its weights were written but could not be removed again (${detail(cleanup)}).`,
            { cause: error },
          );
        }
      }
      throw failure;
    }
  }

  async #read(key: string): Promise<unknown> {
    try {
      return await this.#backend.get(key);
    } catch (error) {
      throw new RegistryError('read-failed', `Saved runs could not be read: ${detail(error)}.`, {
        cause: error,
      });
    }
  }

  async #parseStored(
    key: string,
    value: unknown,
  ): Promise<{ ok: true; record: RunRecord } | { ok: false; reason: string }> {
    if (typeof value !== 'string')
      return { ok: false, reason: 'the stored value is not record text' };
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      return { ok: false, reason: 'the stored text is not valid JSON' };
    }
    const parsed = await parseRunRecord(json);
    if (parsed.ok && recordKeyOf(parsed.record.id) !== key) {
      return { ok: false, reason: `it holds run ${parsed.record.id}, not the run its key names` };
    }
    return parsed;
  }

  /** The record of a run, or null when there is none; rejects with `damaged` when it is unreadable. */
  async get(id: string): Promise<RunRecord | null> {
    const key = recordKeyOf(id);
    const value = await this.#read(key);
    if (value === undefined) return null;
    const parsed = await this.#parseStored(key, value);
    if (!parsed.ok)
      throw new RegistryError('damaged', `Saved run ${id} could not be read: ${parsed.reason}`);
    return parsed.record;
  }

  /**
   * The weight bytes of a run, checked against its record (length and SHA-256); null when the run
   * has no weights. Rejects with `damaged` when they are missing or do not match.
   */
  async weights(record: RunRecord): Promise<Uint8Array | null> {
    const ref = record.weights;
    if (ref === null) return null;
    const value = await this.#read(ref.key);
    if (!(value instanceof Uint8Array)) {
      throw new RegistryError(
        'damaged',
        `The weights of run ${record.id} are missing from storage.`,
      );
    }
    if (value.byteLength !== ref.byteLength || (await bytesSha256Hex(value)) !== ref.sha256) {
      throw new RegistryError(
        'damaged',
        `The stored weights of run ${record.id} do not match its record (changed or cut short).`,
      );
    }
    return value;
  }

  /**
   * Every saved run, sorted (default: newest first), optionally of one sandbox only. Records that
   * cannot be read are listed under `unreadable` with the reason, and left in storage.
   */
  async list(options: { order?: SortOrder; sandbox?: string } = {}): Promise<RunList> {
    let keys: string[];
    try {
      keys = await this.#backend.keys(RECORD_KEY_PREFIX);
    } catch (error) {
      throw new RegistryError('read-failed', `Saved runs could not be listed: ${detail(error)}.`, {
        cause: error,
      });
    }
    const runs: RunRecord[] = [];
    const unreadable: UnreadableRun[] = [];
    for (const key of [...keys].sort()) {
      const parsed = await this.#parseStored(key, await this.#read(key));
      if (!parsed.ok) unreadable.push({ key, reason: parsed.reason });
      else if (options.sandbox === undefined || parsed.record.sandbox === options.sandbox)
        runs.push(parsed.record);
    }
    return {
      runs: sortRuns(runs, options.order ?? { by: 'createdAt', direction: 'desc' }),
      unreadable,
    };
  }

  /**
   * Keeps the bytes of an uploaded data file under `data/<sha256>`, so a run trained on it can be
   * reproduced later; does nothing when they are already kept. Rejects with `invalid` when the
   * bytes are not the ones the data version names, and like {@link save} when storage refuses.
   */
  async saveUploadedData(version: UploadDataVersion, bytes: Uint8Array): Promise<void> {
    if (bytes.byteLength !== version.bytes || (await bytesSha256Hex(bytes)) !== version.sha256) {
      throw new RegistryError(
        'invalid',
        `The file ${version.fileName} was not kept: its bytes are not the ones its data version names.`,
      );
    }
    const key = uploadedDataKeyOf(version.sha256);
    if ((await this.#read(key)) !== undefined) return;
    try {
      await this.#backend.put(key, bytes);
    } catch (error) {
      throw writeError(`The file ${version.fileName}`, error);
    }
  }

  /**
   * The kept bytes of an uploaded data file, checked against its SHA-256; null when this browser
   * does not have them (the run was imported, or they were never kept).
   */
  async uploadedData(version: UploadDataVersion): Promise<Uint8Array | null> {
    const value = await this.#read(uploadedDataKeyOf(version.sha256));
    if (!(value instanceof Uint8Array)) return null;
    if (value.byteLength !== version.bytes || (await bytesSha256Hex(value)) !== version.sha256) {
      throw new RegistryError(
        'damaged',
        `The kept copy of ${version.fileName} does not match its SHA-256 (changed or cut short).`,
      );
    }
    return value;
  }

  /**
   * Deletes a run: its record first (so it leaves the list at once), then its weights. Resolves
   * false when there was no such run; rejects with `write-failed` when storage refuses.
   */
  async delete(id: string): Promise<boolean> {
    const key = recordKeyOf(id);
    const value = await this.#read(key);
    if (value === undefined) return false;
    const parsed = await this.#parseStored(key, value);
    try {
      await this.#backend.delete(key);
      if (parsed.ok && parsed.record.weights) await this.#backend.delete(parsed.record.weights.key);
    } catch (error) {
      throw new RegistryError('write-failed', `Run ${id} could not be deleted: ${detail(error)}.`, {
        cause: error,
      });
    }
    return true;
  }

  /**
   * The browser's estimate of this site's storage use, in words: `12.0 MB of 1.50 GB used (1%)`.
   * Never rejects: without an estimate function, or when it fails, says so instead.
   */
  async usage(): Promise<UsageReport> {
    if (this.#estimate === undefined) {
      return {
        available: false,
        message: 'This browser does not say how much storage this site uses.',
      };
    }
    let estimate;
    try {
      estimate = await this.#estimate();
    } catch (error) {
      return { available: false, message: `The storage estimate failed: ${detail(error)}.` };
    }
    const usageBytes = estimate.usage ?? 0;
    const quotaBytes = estimate.quota !== undefined && estimate.quota > 0 ? estimate.quota : null;
    const usedShare = quotaBytes === null ? null : Math.min(1, usageBytes / quotaBytes);
    const message =
      quotaBytes === null || usedShare === null
        ? `About ${formatBytes(usageBytes)} used (the browser gives no limit).`
        : `About ${formatBytes(usageBytes)} of ${formatBytes(quotaBytes)} used (${Math.round(usedShare * 100)}%).`;
    return { available: true, usageBytes, quotaBytes, usedShare, message };
  }
}
