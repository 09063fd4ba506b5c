// `npm run policy:check [-- --json]`: run every active policy case against the current policy (sensitive
// areas, MCP capability policies, tool profiles) in the database. Exit 0 when every case holds, 1 when
// any case fails (the policy lets through what a case says it must deny or ask about), 2 when the
// check could not run. Put it in CI next to the tests.
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/database';

const { values } = parseArgs({ options: { json: { type: 'boolean' } }, allowPositionals: false });

let exit = 0;
let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
let closeDb: (() => Promise<void>) | undefined;
try {
  database = await openDatabase({ purpose: 'dev', attach: true });
  process.env.DATABASE_URL = database.url;
  const { loadActiveCases, loadPolicy } = await import('../../lib/policy/simulation');
  const { caseHolds, evaluateCase, DECISION_LABEL, EXPECTED_LABEL } = await import('../../lib/domain/policy-case');
  ({ closeDb } = await import('../../lib/db'));
  const [policy, cases] = await Promise.all([loadPolicy(), loadActiveCases()]);
  const results = cases.map((c) => {
    const evaluation = evaluateCase(c, policy);
    return { ref: c.ref, name: c.name, expected: c.expected, actual: evaluation.decision, holds: caseHolds(c.expected, evaluation.decision), because: evaluation.because };
  });
  const failing = results.filter((r) => !r.holds);
  exit = failing.length ? 1 : 0;
  if (values.json) {
    console.log(JSON.stringify({ database: database.describe, cases: results.length, failing: failing.length, results }, null, 2));
  } else {
    console.log(`Database: ${database.describe}\nChecking ${results.length} active policy case(s) against the current policy…`);
    for (const r of results) {
      console.log(`  ${r.holds ? '✓' : '✗'} ${r.ref.padEnd(6)} ${r.name}  (${EXPECTED_LABEL[r.expected].toLowerCase()}; now ${DECISION_LABEL[r.actual].toLowerCase()})`);
      if (!r.holds) for (const b of r.because) console.log(`      ${b}`);
    }
    console.log(failing.length ? `${failing.length} of ${results.length} case(s) FAIL: the policy lets through what they must stop.` : `All ${results.length} case(s) hold.`);
  }
} catch (error) {
  console.error(`The policy check could not run: ${(error as Error).message}`);
  exit = 2;
} finally {
  await closeDb?.().catch(() => undefined);
  await database?.close().catch(() => undefined);
}
process.exit(exit);
