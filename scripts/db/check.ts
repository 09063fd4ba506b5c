// `npm run db:check`: fails when prisma/schema.prisma has changes that no migration creates.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from './database';
import { DEFAULT_MIGRATIONS, DEFAULT_SCHEMA, diffMigrationsToSchema } from './engine';

const { values } = parseArgs({ options: { schema: { type: 'string' }, migrations: { type: 'string' } } });
const schemaPath = values.schema ? resolve(values.schema) : DEFAULT_SCHEMA;
const migrationsDir = values.migrations ? resolve(values.migrations) : DEFAULT_MIGRATIONS;

// Runs on a scratch database, so it never touches dev data and works beside a running `npm start`.
const database = await openDatabase({ purpose: 'test' });
try {
  const { drift, sql } = await diffMigrationsToSchema(database.url, { schemaPath, migrationsDir });
  if (drift) {
    console.error('prisma/schema.prisma has changes that no migration creates:\n');
    console.error(sql.trim().replace(/^/gm, '    '));
    console.error('\nCreate the migration: npm run db:migration -- --name <what_changed>');
    process.exitCode = 1;
  } else {
    console.log('schema.prisma and prisma/migrations agree.');
  }
} catch (error) {
  console.error(`Drift check failed: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  await database.close();
}
