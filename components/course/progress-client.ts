/**
 * The page's one progress store, shared by every island on the page (Astro hydrates islands
 * separately, but they share this module). It keeps progress in localStorage and follows other
 * tabs through `storage` events. Where localStorage is unavailable (some privacy modes throw on
 * access) it falls back to memory and says so.
 */
import {
  createProgressStore,
  type KeyValueStorage,
  type ProgressNotice,
  type ProgressStore,
} from '../../src/lib/progress/store';

let store: ProgressStore | null = null;

function inMemoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    keys: () => [...map.keys()],
  };
}

/** localStorage behind the store's interface, or null when the browser refuses access to it. */
function localStorageOrNull(): KeyValueStorage | null {
  try {
    const local = window.localStorage;
    // Reading is the test: a blocked storage throws here. Writing is not probed, since a full
    // quota would make a probe fail although the saved progress can still be read.
    local.getItem('mlsdl.progress');
    return {
      getItem: (key) => local.getItem(key),
      setItem: (key, value) => local.setItem(key, value),
      removeItem: (key) => local.removeItem(key),
      keys: () => {
        const keys: string[] = [];
        for (let i = 0; i < local.length; i += 1) {
          const key = local.key(i);
          if (key !== null) keys.push(key);
        }
        return keys;
      },
    };
  } catch {
    return null;
  }
}

/** The page's progress store, created on first use. Call it only in the browser (onMount). */
export function getProgressStore(): ProgressStore {
  if (store) return store;
  const local = localStorageOrNull();
  const notices: ProgressNotice[] = local
    ? []
    : [
        {
          kind: 'storage-unavailable',
          message:
            'This browser does not let the course keep data (private browsing, or site data blocked), so your progress lasts only while this page is open. Use Export progress on the progress page to keep a copy.',
        },
      ];
  const created = createProgressStore({ storage: local ?? inMemoryStorage(), notices });
  store = created;
  if (local) {
    // Another tab wrote: merge its progress in (and write back anything this tab holds that it
    // lacked). A null key means storage was cleared.
    window.addEventListener('storage', (event) => {
      if (event.key === null || event.key.startsWith('mlsdl.')) {
        created.applyExternalChange(event.key);
      }
    });
    // A page restored from the back/forward cache, or shown again, may have missed events.
    window.addEventListener('pageshow', (event) => {
      if (event.persisted) created.applyExternalChange(null);
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') created.applyExternalChange(null);
    });
  }
  return created;
}

/** Saves `text` as a download named `fileName`, through a temporary Blob link. */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: some browsers start reading the Blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
