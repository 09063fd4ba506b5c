// `npm run db:migration -- --name <name>`: write a migration for what schema.prisma adds.
import { parseArgs } from 'node:util';
import { openDatabase } from './database';
import { createMigration } from './engine';

const USAGE = 'Usage: npm run db:migration -- --name <name>   (letters, digits and _; e.g. add_incident_owner)';
const { values } = parseArgs({ options: { name: { type: 'string' } }, allowPositionals: false, strict: false });
const name = typeof values.name === 'string' ? values.name : '';
if (!/^[a-z][a-z0-9_]{0,60}$/i.test(name)) {
  console.error(name ? `"${name}" is not a usable migration name.\n${USAGE}` : USAGE);
  process.exit(2);
}

// A scratch database is enough: the engine replays the migrations on a shadow database.
const database = await openDatabase({ purpose: 'test' });
try {
  const dir = await createMigration(database.url, name.toLowerCase());
  console.log(dir ? `Wrote ${dir}/migration.sql — review it, then npm run db:migrate.` : 'schema.prisma and prisma/migrations already agree: nothing to write.');
} catch (error) {
  console.error(`Could not create the migration: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
