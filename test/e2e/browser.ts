/**
 * Where the browser tests find Chromium, and the flags it runs with. Shared by the Playwright
 * config and the benchmark so both run the same browser the same way.
 */
import { existsSync } from 'node:fs';

/** The system Chromium when there is one (Playwright's own browser otherwise). */
export const chromiumExecutablePath: string | undefined = [
  process.env['CHROMIUM_PATH'],
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].find((path): path is string => typeof path === 'string' && existsSync(path));

/** Flags that keep Chromium from calling home (this machine has no network but the registries). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
