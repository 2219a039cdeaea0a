import { defineConfig } from 'vitest/config';

/**
 * Four projects: `node` (unit and integration tests without the lab, in
 * parallel), `browser` (the renderer in a real Chromium), `packaging` (`npm
 * start` and electron-builder against stand-ins for Electron), and `lab` (tests that
 * need root and network namespaces; one lab per machine, so files run one at a time).
 */

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'agent/**/*.test.ts',
            'electron/**/*.test.ts',
            'renderer/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/electron/**/*.test.ts',
          ],
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
          name: 'packaging',
          environment: 'node',
          include: ['test/packaging/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // After the other projects, so no test rebuilds dist/ while it is packaged.
          sequence: { groupOrder: 1 },
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
