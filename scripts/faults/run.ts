// `npm run test:faults`: fault tests against real processes — an embedded PostgreSQL of its own
// (stopped and started again on the same port and data folder) and the production build.
//   0. what errors arrive through each of the app's database paths when PostgreSQL goes away
//   1. PostgreSQL stopped in the middle of an ingest burst: 503 + Retry-After, recovery, no loss
//   2. the app killed (SIGKILL) mid-batch: all or nothing, exact retries
//   3. two app processes on one database: one decision, one chain, shared limits and throttling
// `npm run test:faults -- shapes outage kill two` runs only the named scenarios. Exit 1 when a check fails.
import { randomBytes } from 'node:crypto';
import { generatePrismaClient } from '../app-server';
import { applyMigrations } from '../db/engine';
import { appKilledMidBatch } from './app-kill';
import { errorShapes } from './error-shapes';
import type { Ctx } from './fixtures';
import { adminPool, productionAppDir, ScratchPostgres } from './harness';
import { postgresOutage } from './postgres-outage';
import { Report } from './report';
import { twoInstances } from './two-instances';
import { serverActionId } from './web';

const SCENARIOS = { shapes: errorShapes, outage: postgresOutage, kill: appKilledMidBatch, two: twoInstances } as const;
type Name = keyof typeof SCENARIOS;

async function main(): Promise<number> {
  const asked = process.argv.slice(2).filter((a): a is Name => a in SCENARIOS);
  const names: Name[] = asked.length ? asked : (Object.keys(SCENARIOS) as Name[]);
  const started = Date.now();
  generatePrismaClient();
  const needsApp = names.some((n) => n !== 'shapes');
  const build = needsApp ? productionAppDir() : { dir: '', buildId: '', close: () => {} };
  if (needsApp) console.log(`✓ Production build ${build.buildId} copied to ${build.dir} (safe from rebuilds while the tests run)`);
  const pg = await ScratchPostgres.create();
  console.log(`✓ Scratch PostgreSQL on 127.0.0.1:${pg.port}, data in ${pg.dataDir}`);
  const report = new Report();
  const admin = adminPool(pg.url('mandate-faults-monitor'));
  try {
    await applyMigrations(pg.url());
    process.env.DATABASE_URL = pg.url('mandate-faults-runner');
    const { generateSigningKeyPem } = await import('../../lib/evidence/signing');
    process.env.EVIDENCE_SIGNING_KEY = generateSigningKeyPem();
    const ctx: Ctx = {
      pg,
      admin,
      appDir: build.dir,
      secret: randomBytes(32).toString('base64url'),
      report,
      decideActionId: needsApp ? serverActionId(build.dir, 'app/(app)/approvals/actions.ts', 'decideApprovalAction') : '',
    };
    for (const name of names) {
      const before = report.sections.length;
      try {
        await SCENARIOS[name](ctx);
      } catch (error) {
        const section = report.sections.length > before ? report.sections.at(-1)! : report.section(name);
        section.error = (error as Error).stack ?? String(error);
        console.error(`  ✗ ${name} stopped: ${(error as Error).message}`);
      }
    }
  } finally {
    const { closeDb } = await import('../../lib/db');
    await closeDb().catch(() => undefined);
    await admin.end().catch(() => undefined);
    await pg.close();
    build.close();
  }
  report.print();
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return report.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`\n✗ ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
