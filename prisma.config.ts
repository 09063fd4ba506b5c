// Used by the Prisma CLI: `prisma generate` here, and `prisma migrate deploy` on machines that can
// download Prisma's native engine. Day-to-day migrations run through scripts/db (WASM engine).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/mandate' },
});
