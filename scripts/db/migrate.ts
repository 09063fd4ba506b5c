// `npm run db:migrate`: apply pending migrations to the dev database (DATABASE_URL or embedded).
import { openDatabase } from './database';
import { applyMigrations } from './engine';

const database = await openDatabase({ purpose: 'dev' });
try {
  console.log(`Database: ${database.describe}`);
  const applied = await applyMigrations(database.url);
  console.log(applied.length ? `Applied ${applied.length} migration(s):\n${applied.map((n) => `  ${n}`).join('\n')}` : 'The database is up to date.');
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
