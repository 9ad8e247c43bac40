/**
 * The storage the run registry writes to: an async key-value interface that IndexedDB (in the
 * page) and a Map (in tests) both fit, and the in-memory implementation. Values are record JSON
 * text or weight bytes.
 */

/** A stored value: a record's JSON text, or weight bytes. */
export type StoredValue = string | Uint8Array;

/** What the registry needs from storage. Every method rejects when storage fails. */
export interface RegistryBackend {
  /** Stores `value` under `key`, replacing any value there. Rejects on a full quota or other failure. */
  put(key: string, value: StoredValue): Promise<void>;
  /** The value under `key`, or undefined. */
  get(key: string): Promise<StoredValue | undefined>;
  /** Removes `key` (nothing happens when it is absent). */
  delete(key: string): Promise<void>;
  /** Every key that starts with `prefix`, in any order. */
  keys(prefix: string): Promise<string[]>;
}

/** What `navigator.storage.estimate()` resolves to: bytes used and allowed for this site. */
export interface StorageEstimateLike {
  usage?: number;
  quota?: number;
}

/** A function like `navigator.storage.estimate`. */
export type EstimateFunction = () => Promise<StorageEstimateLike>;

/** Size of a stored value in bytes: UTF-8 length of text, length of bytes. */
export function storedSizeBytes(value: StoredValue): number {
  return typeof value === 'string' ? new TextEncoder().encode(value).byteLength : value.byteLength;
}

/** An error named like the browser's quota error (DOMException `QuotaExceededError`). */
export function quotaExceededError(message: string): Error {
  const error = new Error(message);
  error.name = 'QuotaExceededError';
  return error;
}

/** The in-memory backend and its estimate, for tests and for pages without IndexedDB. */
export interface MemoryBackend extends RegistryBackend {
  /** Usage (Σ stored sizes in bytes) and the quota, like `navigator.storage.estimate`. */
  estimate: EstimateFunction;
}

/**
 * A Map-backed backend. With `quotaBytes`, a put that would make Σ stored sizes exceed it rejects
 * with a `QuotaExceededError` and stores nothing, as a browser does. Values are copied in and
 * out, so callers cannot change what is stored.
 */
export function createMemoryBackend(options: { quotaBytes?: number } = {}): MemoryBackend {
  const store = new Map<string, StoredValue>();
  const copy = (value: StoredValue): StoredValue =>
    typeof value === 'string' ? value : value.slice();
  const used = (): number => {
    let total = 0;
    for (const value of store.values()) total += storedSizeBytes(value);
    return total;
  };
  return {
    async put(key, value) {
      const previous = store.get(key);
      const after = used() - (previous ? storedSizeBytes(previous) : 0) + storedSizeBytes(value);
      if (options.quotaBytes !== undefined && after > options.quotaBytes) {
        throw quotaExceededError(
          `storing ${key} would exceed the quota of ${options.quotaBytes} bytes`,
        );
      }
      store.set(key, copy(value));
    },
    async get(key) {
      const value = store.get(key);
      return value === undefined ? undefined : copy(value);
    },
    async delete(key) {
      store.delete(key);
    },
    async keys(prefix) {
      return [...store.keys()].filter((key) => key.startsWith(prefix));
    },
    async estimate() {
      return options.quotaBytes === undefined
        ? { usage: used() }
        : { usage: used(), quota: options.quotaBytes };
    },
  };
}
