// Makes sure a Chromium exists for Playwright before browser tests and benchmarks.
// Order: CHROMIUM_PATH, the system Chromium (/usr/bin/chromium), Playwright's own browser.
// On a Debian/Ubuntu machine where we are root and have none, install Debian's chromium
// (Playwright cannot download its own browsers on networks that only reach package registries).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { chromium } from '@playwright/test';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const found = candidates.find((path) => path && existsSync(path));
if (found) {
  console.log(`ensure-chromium: using ${found}`);
  process.exit(0);
}
if (existsSync(chromium.executablePath())) {
  console.log(`ensure-chromium: using Playwright's Chromium at ${chromium.executablePath()}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log('ensure-chromium: installing Debian chromium with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  process.exit(0);
}
console.log('ensure-chromium: no Chromium found; trying `npx playwright install chromium`…');
execFileSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
