// `npm test`: the whole suite — typecheck, lint, unit, integration (real Postgres) and end-to-end
// (real Chromium against the production build). Each run uses scratch databases it drops afterwards,
// never the dev data. `npm test -- unit integration` runs only the named stages;
// `npm test -- e2e e2e/runs.spec.ts` runs one end-to-end spec.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureProductionBuild, generatePrismaClient, runStep, seedDemo, startFixtureProcess } from './app-server';
import { findOrInstallChromium } from './browser';
import { freePort } from './free-port';
import { scanLog } from './test/log-scan';

const STAGES = ['typecheck', 'lint', 'unit', 'integration', 'e2e'] as const;
type Stage = (typeof STAGES)[number];
const requested = process.argv.slice(2).filter((a): a is Stage => (STAGES as readonly string[]).includes(a));
const stages = new Set<Stage>(requested.length ? requested : STAGES);
/** Anything else is handed to Playwright: `npm test -- e2e e2e/runs.spec.ts` runs one spec. */
const playwrightArgs = process.argv.slice(2).filter((a) => !(STAGES as readonly string[]).includes(a));
const tally = { passed: 0, failed: 0, skipped: 0 };

function countVitest(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  tally.passed += report.numPassedTests;
  tally.failed += report.numFailedTests;
  tally.skipped += report.numPendingTests + report.numTodoTests;
  rmSync(file);
}

function countPlaywright(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  tally.passed += report.stats.expected + report.stats.flaky;
  tally.failed += report.stats.unexpected;
  tally.skipped += report.stats.skipped;
  rmSync(file);
}

function vitest(project: 'unit' | 'integration', label: string) {
  const out = `test-reports/vitest-${project}.json`;
  try {
    runStep(label, process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  } finally {
    countVitest(out);
  }
}

async function endToEnd() {
  ensureProductionBuild();
  const browser = findOrInstallChromium();
  console.log(`Browser for end-to-end tests: ${browser.how}`);
  const { openDatabase } = await import('./db/database');
  const { applyMigrations } = await import('./db/engine');
  const database = await openDatabase({ purpose: 'test' });
  // The demo's Support desk MCP server, in its own process: Playwright runs in the foreground here.
  const fixture = await startFixtureProcess(await freePort());
  process.env.MANDATE_DEMO_MCP_URL = fixture.url;
  const out = 'test-reports/playwright.json';
  const serverLog = 'test-reports/e2e-server.log';
  rmSync(serverLog, { force: true });
  mkdirSync('test-reports', { recursive: true });
  const secrets: { name: string; value: string }[] = [];
  try {
    console.log(`E2E database: ${database.describe}`);
    await applyMigrations(database.url);
    // A throwaway signing key: the seeded checkpoints and the app under test share it.
    const { generateSigningKeyPem } = await import('../lib/evidence/signing');
    process.env.EVIDENCE_SIGNING_KEY = generateSigningKeyPem();
    await seedDemo(database.url);
    const port = await freePort();
    const sessionSecret = randomBytes(32).toString('base64url');
    const { DEMO_PASSWORD } = await import('../lib/demo');
    secrets.push({ name: 'NEXTAUTH_SECRET', value: sessionSecret }, { name: 'demo password', value: DEMO_PASSWORD }, { name: 'gateway test secret', value: 'sk-e2e-do-not-store' });
    for (const line of process.env.EVIDENCE_SIGNING_KEY!.split('\n')) if (line.length >= 16 && !line.startsWith('-----')) secrets.push({ name: 'evidence signing key', value: line });
    runStep('End-to-end tests (Playwright)', process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...playwrightArgs], {
      ...process.env,
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: sessionSecret,
      E2E_SERVER_LOG: serverLog,
      NEXTAUTH_URL: `http://localhost:${port}`,
      MANDATE_DEMO: '1',
      E2E_PORT: String(port),
      E2E_CHROMIUM_PATH: browser.executablePath ?? '',
      PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    });
    checkServerLog(serverLog, secrets);
  } finally {
    countPlaywright(out);
    await fixture.close();
    await database.close();
  }
}

/** No secret in the server's log, and the structured access log really was captured. */
function checkServerLog(file: string, secrets: { name: string; value: string }[]) {
  const scan = scanLog(existsSync(file) ? readFileSync(file, 'utf8') : '', secrets);
  // The whole suite calls the agent API, so its access lines must be there (an empty log cannot pass); a single spec may not.
  const wholeSuite = playwrightArgs.length === 0;
  const ok = scan.findings.length === 0 && (!wholeSuite || (scan.accessLines > 0 && scan.withRequestId > 0));
  if (ok) tally.passed++;
  else tally.failed++;
  if (!ok) {
    throw new Error(`Server log check failed (${file}): ${scan.findings.length ? `secrets found: ${scan.findings.slice(0, 10).join('; ')}` : `only ${scan.accessLines} access lines with request ids`}`);
  }
  console.log(`✓ Server log: ${scan.lines} lines, ${scan.accessLines} structured access lines with request ids, no token, password, session cookie, hash or key in it`);
}

async function main() {
  const started = Date.now();
  generatePrismaClient();
  if (stages.has('typecheck')) runStep('Typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
  if (stages.has('lint')) runStep('Lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '.', '--max-warnings=0']);
  if (stages.has('unit')) vitest('unit', 'Unit tests');
  if (stages.has('integration')) vitest('integration', 'Integration tests (Postgres)');
  if (stages.has('e2e')) await endToEnd();
  console.log(`\nAll stages green in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

main()
  .catch((error) => {
    console.error(`\n✗ ${(error as Error).message}`);
    process.exitCode = 1;
  })
  .finally(() => {
    console.log(`${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ''}`);
  });
