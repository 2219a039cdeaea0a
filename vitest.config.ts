import { defineConfig } from 'vitest/config';

/**
 * Three projects: `node` (unit and integration tests without the lab, in
 * parallel), `browser` (the renderer in a real Chromium), and `lab` (tests that
 * need root and network namespaces; one lab per machine, so files run one at a time).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['agent/**/*.test.ts', 'electron/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'lab',
          environment: 'node',
          include: ['test/lab/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/lab/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
