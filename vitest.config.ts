import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@lib': fileURLToPath(new URL('./src/lib', import.meta.url)),
    },
  },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/content/**/*.test.ts'],
    // Two cores here: one worker for tests keeps the tfjs training tests from starving.
    maxWorkers: 1,
    testTimeout: 60_000,
  },
});
