/**
 * An Astro integration that finishes the static build for offline workshops:
 * 1. writes each page's Content-Security-Policy into it (`csp.ts`);
 * 2. generates the service worker with Workbox, precaching every file of the built folder (pages,
 *    scripts, styles, .wasm, Pagefind's index), each under its content hash, so a first visit
 *    makes the whole course work with the network off and a rebuild is picked up as an update;
 * 3. prints the built folder's size against the 10 MB budget a laptop serving a room can carry.
 * It must run after Starlight's own build hook (listed after it), so Pagefind's index exists.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { generateSW } from 'workbox-build';
import { withCspMeta } from './csp';

/** The built folder's budget, in bytes. */
export const BUILT_FOLDER_BUDGET_BYTES = 10_000_000;
/** The service worker's file, at the site root so its scope is the whole course. */
export const SERVICE_WORKER_FILE = 'sw.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Adds the policy to every HTML page of `dir`; returns how many pages were written. */
export async function addCspToPages(dir: string): Promise<number> {
  const pages = (await filesUnder(dir)).filter((file) => file.endsWith('.html'));
  for (const page of pages) {
    await writeFile(page, withCspMeta(await readFile(page, 'utf8')));
  }
  return pages.length;
}

/** Generates the service worker over every file of `dir`; returns what it precaches. */
export async function writeServiceWorker(dir: string): Promise<{ count: number; size: number }> {
  const { count, size, warnings } = await generateSW({
    globDirectory: dir,
    globPatterns: ['**/*'],
    globIgnores: [SERVICE_WORKER_FILE, '**/*.map'],
    swDest: join(dir, SERVICE_WORKER_FILE),
    // Everything, the largest script chunks and .wasm files included: offline means all of it.
    maximumFileSizeToCacheInBytes: 4_000_000,
    // `/lessons/x/` is served from `/lessons/x/index.html`; a query (`?backend=cpu`, a sandbox's
    // settings) must not make a lesson miss the cache.
    directoryIndex: 'index.html',
    ignoreURLParametersMatching: [/.*/],
    // Astro's hashed file names change with their content; Workbox's own revision covers the rest.
    dontCacheBustURLsMatching: /^_astro\//,
    // The page decides when a new version takes over (it asks the learner), so a waiting worker
    // skips waiting only on the page's message; then it takes every open tab at once.
    skipWaiting: false,
    clientsClaim: true,
    cleanupOutdatedCaches: true,
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: 'production',
  });
  for (const warning of warnings) console.warn(`[offline] ${warning}`);
  return { count, size };
}

/** Total size of the files under `dir`, in bytes. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const file of await filesUnder(dir)) total += (await stat(file)).size;
  return total;
}

/** The integration; see the module comment. */
export function offline(): AstroIntegration {
  return {
    name: 'mlsdl-offline',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const pages = await addCspToPages(root);
        const precache = await writeServiceWorker(root);
        const bytes = await folderBytes(root);
        const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
        logger.info(
          `CSP written into ${pages} pages; ${relative(process.cwd(), join(root, SERVICE_WORKER_FILE))} precaches ${precache.count} files (${mb(precache.size)}); built folder ${mb(bytes)} of the ${mb(BUILT_FOLDER_BUDGET_BYTES)} budget`,
        );
        if (bytes > BUILT_FOLDER_BUDGET_BYTES) {
          throw new Error(
            `The built folder is ${mb(bytes)}, over the ${mb(BUILT_FOLDER_BUDGET_BYTES)} budget for workshops.`,
          );
        }
      },
    },
  };
}
