/**
 * The run registry's storage in the browser: one IndexedDB object store, through the `idb`
 * library (promises over IndexedDB's request events). Keys are strings (`run/<id>`,
 * `weights/<id>`), values record JSON text or weight bytes (structured clone keeps a Uint8Array
 * a Uint8Array). Uses the global `indexedDB`, which browsers and workers have and which tests
 * provide with `fake-indexeddb`. Every failure rejects, so the registry can report it: a full
 * quota surfaces as a `QuotaExceededError` from the transaction.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RegistryBackend, StoredValue } from './backend';

/** The IndexedDB database the registry uses. */
export const REGISTRY_DB_NAME = 'mlsdl-run-registry';
/** Its schema version (bump with an upgrade step when the stores change). */
export const REGISTRY_DB_VERSION = 1;
const STORE = 'entries';

interface RegistryDb extends DBSchema {
  entries: { key: string; value: StoredValue };
}

/** true when this environment has IndexedDB at all (some private modes and old browsers do not). */
export function indexedDbAvailable(): boolean {
  return typeof indexedDB !== 'undefined';
}

/**
 * A registry backend over IndexedDB. The database opens on first use, not on creation, so a page
 * that never records or lists a run never opens it; a failed open rejects that call and is tried
 * again on the next one. `name` lets tests use a database of their own.
 */
export function createIndexedDbBackend(name: string = REGISTRY_DB_NAME): RegistryBackend {
  let opening: Promise<IDBPDatabase<RegistryDb>> | null = null;
  const db = (): Promise<IDBPDatabase<RegistryDb>> => {
    opening ??= openDB<RegistryDb>(name, REGISTRY_DB_VERSION, {
      upgrade(database) {
        if (!database.objectStoreNames.contains(STORE)) database.createObjectStore(STORE);
      },
    }).catch((error: unknown) => {
      opening = null;
      throw error;
    });
    return opening;
  };
  return {
    async put(key, value) {
      const tx = (await db()).transaction(STORE, 'readwrite');
      // Await both: a quota failure may surface on the request or only when the transaction
      // aborts, and an unawaited rejection would be lost.
      await Promise.all([tx.store.put(value, key), tx.done]);
    },
    async get(key) {
      return (await db()).get(STORE, key);
    },
    async delete(key) {
      const tx = (await db()).transaction(STORE, 'readwrite');
      await Promise.all([tx.store.delete(key), tx.done]);
    },
    async keys(prefix) {
      // Every string that starts with `prefix` sorts between it and prefix + U+FFFF.
      const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
      return (await db()).getAllKeys(STORE, range);
    },
  };
}
