import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'drivers/**/*.test.ts', 'main/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts', 'eslint-rules/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    // Fixtures and expected readings are written for UTC; one test checks another zone explicitly.
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits on a real browser and real processes; CI runs every file at once on two
    // cores, where one second (vitest's default) is too short for a page to update.
    expect: { poll: { timeout: 30_000 } },
    pool: 'forks',
    setupFiles: ['renderer/testing/async-timeout.ts'],
  },
});
