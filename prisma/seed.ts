// `npm run db:seed`: the demo organisation, on DATABASE_URL or the embedded dev database. Idempotent.
import { openDatabase } from '../scripts/db/database';
import { applyMigrations } from '../scripts/db/engine';
import { ensureSigningKey, seedDemo } from '../scripts/app-server';

const database = await openDatabase({ purpose: 'dev', attach: true });
try {
  console.log(`Database: ${database.describe}`);
  await applyMigrations(database.url);
  await ensureSigningKey(database.embedded);
  await seedDemo(database.url);
} catch (error) {
  console.error(`Seeding failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
