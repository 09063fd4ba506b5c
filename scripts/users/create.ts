// `npm run user:create -- --email ada@example.com --name "Ada Lovelace" --roles ADMIN[,SECURITY] [--team slug] [--reset-password]`
// Adds a person who signs in with a password (the first admin of a new deployment), or sets a new
// password. The password is read from MANDATE_NEW_PASSWORD or, when unset, from standard input (one
// line), never from the command line, where it would land in shell history and process lists.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';

async function readPassword(): Promise<string> {
  if (process.env.MANDATE_NEW_PASSWORD) return process.env.MANDATE_NEW_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('Password (at least 12 characters, not echoed to any log): ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' }, team: { type: 'string' }, 'reset-password': { type: 'boolean', default: false } },
  });
  const { openDatabase } = await import('../db/database');
  const database = await openDatabase({ purpose: 'dev', attach: true });
  process.env.DATABASE_URL = database.url;
  const { provisionUser } = await import('../../lib/people/provision');
  const { AppError } = await import('../../lib/server/errors');
  const { closeDb } = await import('../../lib/db');
  try {
    const result = await provisionUser({
      email: values.email ?? '',
      name: values.name ?? values.email ?? '',
      roles: (values.roles ?? '').split(',').map((r) => r.trim().toUpperCase()).filter(Boolean) as never,
      team: values.team,
      password: await readPassword(),
      resetPassword: values['reset-password'],
    });
    console.log(result.created ? `✓ Added ${values.email}; they can sign in now.` : `✓ New password set for ${values.email}; any sign-in lock was cleared.`);
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`✗ ${error.userMessage}`);
      for (const [field, messages] of Object.entries(error.fieldErrors ?? {})) console.error(`  ${field}: ${messages.join(' ')}`);
      process.exitCode = 1;
    } else throw error;
  } finally {
    await closeDb();
    await database.close();
  }
}

main().catch((error) => {
  console.error(`✗ ${(error as Error).message}`);
  process.exitCode = 2;
});
