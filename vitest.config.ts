import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // every operation output a test sees is checked against its schema (test/support/check-outputs.ts)
    setupFiles: ['test/support/check-outputs.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
