import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import IntegrationOrder from './scripts/test/integration-order';

const alias = { '@': fileURLToPath(new URL('./', import.meta.url)) };
const exclude = ['node_modules/**', '.next/**', '.data/**', 'e2e/**'];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'node',
          include: ['lib/**/*.test.ts', 'scripts/**/*.test.ts', 'components/**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          environment: 'node',
          include: ['**/*.int.test.ts'],
          exclude,
          globalSetup: ['scripts/test/integration-setup.ts'],
          // Files share one database; they run one after another, tests inside a file in order.
          fileParallelism: false,
          sequence: { sequencer: IntegrationOrder },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { NEXTAUTH_SECRET: 'integration-tests-only-secret-0123456789abcdef', LOG_LEVEL: 'error' },
        },
      },
    ],
  },
});
