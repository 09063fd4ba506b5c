import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createActor, createAgentIdentity, createRunnableContract } from '@/lib/testing/factories';
import { saveSensitiveArea, describeCapability } from '@/lib/registry/commands';
import { updateToolProfile } from '@/lib/identities/commands';
import { appendReceipts } from '@/lib/evidence/append';
import { runContextById } from '@/lib/runs/context';
import { startRun } from '@/lib/runs/commands';
import { createCaseFromRun, createPolicyCase, setCaseActive } from './commands';
import { CaseActiveInput } from './schema';
import { impactOf } from './simulation';
import { listPolicyCases } from './queries';
import { PolicyCaseInput } from './schema';
import { refusal } from '@/lib/testing/refusal';

/** Cases are global: each test retires its own so that later tests (and files) are not guarded by them. */
const made: string[] = [];
afterEach(async () => {
  await db.policyCase.updateMany({ where: { id: { in: made.splice(0) } }, data: { active: false } });
});

async function areaFixture() {
  const security = await createActor(['SECURITY']);
  const dir = `zz-${randomUUID().slice(0, 8)}`;
  const area = await saveSensitiveArea(security, { name: `tools ${dir}`, category: 'internal-tools', pattern: `**/${dir}/**`, tier: 'HIGH', description: '', enabled: true }, null);
  return { security, dir, area };
}

async function caseFor(security: Awaited<ReturnType<typeof createActor>>, text: string, expected: 'DENY' | 'NEEDS_APPROVAL', identityId: string | null = null) {
  const input = PolicyCaseInput.parse({ name: `case ${text.slice(0, 40)}`, expected, actions: text, identityId: identityId ?? '', allowedData: ['repo-content'] });
  const row = await createPolicyCase(security, input);
  made.push(row.id);
  return row;
}


describe('the policy guard', () => {
  it('refuses a sensitive-area change that makes a case pass, and saves it with an audited override', async () => {
    const { security, dir, area } = await areaFixture();
    const pc = await caseFor(security, `write tools/${dir}/shared/session-token.ts`, 'NEEDS_APPROVAL');
    const relax = { name: area.name, category: 'internal-tools' as const, pattern: `**/${dir}/**`, tier: 'HIGH' as const, description: '', enabled: false };

    const impact = await impactOf({ kind: 'sensitive-area', areaId: area.id, area: relax });
    expect(impact.regressions.map((r) => [r.ref, r.from, r.to])).toEqual([[`PC-${pc.number}`, 'needs_approval', 'allow']]);

    const refused = await refusal(saveSensitiveArea(security, relax, area.id));
    expect(refused.code).toBe('VALIDATION');
    expect(refused.fieldErrors?.overrideReason?.[0]).toContain(`PC-${pc.number}`);
    expect((await db.sensitiveArea.findUniqueOrThrow({ where: { id: area.id } })).enabled).toBe(true);
    // A reason too short is no reason.
    await refusal(saveSensitiveArea(security, { ...relax, overrideReason: 'because' }, area.id));

    await saveSensitiveArea(security, { ...relax, overrideReason: 'The helper moved out of this directory last sprint; case to be rewritten.' }, area.id);
    expect((await db.sensitiveArea.findUniqueOrThrow({ where: { id: area.id } })).enabled).toBe(false);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'policy.guard-overridden', targetId: area.id } });
    expect(audit.actorId).toBe(security.id);
    expect(audit.after).toMatchObject({ reason: expect.stringContaining('moved out'), regressions: [{ ref: `PC-${pc.number}`, to: 'allow' }] });
  });

  it('lets tightening and unrelated changes through without a reason, and lists the contracts whose tier moves', async () => {
    const { security, dir, area } = await areaFixture();
    await caseFor(security, `write tools/${dir}/shared/session-token.ts`, 'NEEDS_APPROVAL');
    const { contract } = await createRunnableContract({ status: 'APPROVED', tier: 'HIGH', allowGlobs: [`tools/${dir}/csv-import/**`] });
    const stop = { name: area.name, category: 'internal-tools' as const, pattern: `**/${dir}/**`, tier: 'STOP' as const, description: '', enabled: true };
    const impact = await impactOf({ kind: 'sensitive-area', areaId: area.id, area: stop });
    expect(impact.regressions).toEqual([]);
    expect(impact.tierChanges).toEqual(expect.arrayContaining([expect.objectContaining({ id: contract.id, from: 'HIGH', to: 'STOP' })]));
    await saveSensitiveArea(security, stop, area.id);
    expect((await db.sensitiveArea.findUniqueOrThrow({ where: { id: area.id } })).tier).toBe('STOP');
  });

  it('guards capability policies and tool profiles the same way', async () => {
    const security = await createActor(['SECURITY']);
    const { server, caps } = await createRunnableContract({ status: 'APPROVED', tier: 'HIGH', tools: [{ name: 'post_comment', access: 'WRITE', policy: 'NEEDS_APPROVAL' }] });
    const write = caps[0]!;
    await describeCapability(security, { capabilityId: write.id, businessCapability: 'post a comment', dataClass: 'INTERNAL', access: 'WRITE', policy: 'NEEDS_APPROVAL' });
    await caseFor(security, `call ${server.slug}/${write.toolName}`, 'DENY');
    // The case fails already (needs approval < deny); blocking the tool makes it hold; unblocking again is refused.
    await describeCapability(security, { capabilityId: write.id, businessCapability: 'post a comment', dataClass: 'INTERNAL', access: 'WRITE', policy: 'BLOCKED' });
    const refused = await refusal(describeCapability(security, { capabilityId: write.id, businessCapability: 'post a comment', dataClass: 'INTERNAL', access: 'WRITE', policy: 'NEEDS_APPROVAL' }));
    expect(refused.fieldErrors?.overrideReason?.[0]).toMatch(/would become needs approval/);

    const identity = await createAgentIdentity();
    await caseFor(security, 'tool WebFetch', 'NEEDS_APPROVAL', identity.id);
    const profile = await refusal(updateToolProfile(security, { identityId: identity.id, tools: ['Read', 'WebFetch'], commands: [] }));
    expect(profile.fieldErrors?.overrideReason?.[0]).toMatch(/would become allowed/);
    await updateToolProfile(security, { identityId: identity.id, tools: ['Read', 'Grep'], commands: ['npm test'] });
    expect((await db.agentIdentity.findUniqueOrThrow({ where: { id: identity.id } })).toolProfile).toEqual({ tools: ['Read', 'Grep'], commands: ['npm test'] });
  });

  it('only security writes cases; a case from a run replays the chosen receipts under the run identity', async () => {
    const requester = await createActor(['REQUESTER']);
    await expect(createPolicyCase(requester, PolicyCaseInput.parse({ name: 'nope', expected: 'DENY', actions: 'write a.ts', allowedData: [] }))).rejects.toThrow();
    const security = await createActor(['SECURITY']);
    const fixture = await createRunnableContract({ status: 'APPROVED', tier: 'HIGH', allowGlobs: ['src/csv/**'] });
    const token = await db.agentToken.findFirstOrThrow({ where: { identityId: fixture.identity.id } });
    const started = await startRun({ identityId: fixture.identity.id, identityName: fixture.identity.name, tokenId: token.id, tokenPrefix: token.prefix }, { contract: fixture.contract.id }, 'http://mandate.test');
    const ctx = (await runContextById(started.run.id))!;
    const at = new Date();
    await appendReceipts(ctx, [
      { kind: 'FILE_WRITE', payload: { path: 'src/csv/parse.ts' }, clientTimestamp: at, idempotencyKey: 'a', toolUseId: null },
      { kind: 'FILE_WRITE', payload: { path: 'src/auth/session-token.ts' }, clientTimestamp: at, idempotencyKey: 'b', toolUseId: null },
      { kind: 'COST', payload: { cents: 5 }, clientTimestamp: at, idempotencyKey: 'c', toolUseId: null },
    ]);
    const bad = await refusal(createCaseFromRun(security, { runId: started.run.id, seqs: [4, 99], name: 'mixed', note: '', expected: 'DENY' }));
    expect(bad.fieldErrors?.seqs).toEqual(['Receipt 99 is not in this run', expect.stringContaining('Receipt 4 reports no action')]);
    const row = await createCaseFromRun(security, { runId: started.run.id, seqs: [3], name: 'session helper', note: 'edited out of scope', expected: 'NEEDS_APPROVAL' });
    made.push(row.id);
    const stored = await db.policyCase.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored.actions).toEqual([{ type: 'file_write', path: 'src/auth/session-token.ts' }]);
    expect(stored.context).toEqual({ identity: fixture.identity.name, allowedData: fixture.contract.allowedData });
    const listed = (await listPolicyCases()).find((c) => c.id === row.id)!;
    expect(listed.sourceRun?.id).toBe(started.run.id);
    expect(CaseActiveInput.safeParse({ caseId: row.id, active: false, reason: 'too short' }).error?.issues[0]?.path).toEqual(['reason']);
    const reason = 'Superseded by the stricter case PC-9 on the same path';
    await setCaseActive(security, CaseActiveInput.parse({ caseId: row.id, active: false, reason }));
    expect((await db.auditEvent.findFirstOrThrow({ where: { targetId: row.id, action: 'policy-case.retired' } })).after).toEqual({ reason });
    await expect(setCaseActive(security, CaseActiveInput.parse({ caseId: row.id, active: false, reason }))).rejects.toThrow(/already retired/);
  });
});

describe('cases written by hand', () => {
  it('refuse an MCP tool or a data source that Mandate does not know (a typo would guard nothing)', async () => {
    const security = await createActor(['SECURITY']);
    const input = PolicyCaseInput.parse({ name: 'typo', expected: 'DENY', actions: 'call linear-ticket/create_comment\ndata prod-db', identityId: '', allowedData: ['repo-content'] });
    const error = await refusal(createPolicyCase(security, input));
    expect(error.fieldErrors?.actions).toEqual([expect.stringContaining('linear-ticket/create_comment is not a registered MCP tool'), expect.stringContaining('"prod-db" is not a data source')]);
  });
});

describe('npm run policy:check', () => {
  const check = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/policy/check.ts', ...args], { encoding: 'utf8', env: { ...process.env }, timeout: 60_000 });

  it('exits 0 when every active case holds and 1 on a failing case, naming it', async () => {
    await db.policyCase.updateMany({ where: { active: true }, data: { active: false } });
    const { security, dir } = await areaFixture();
    await caseFor(security, `write tools/${dir}/a.ts`, 'NEEDS_APPROVAL');
    const ok = check();
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/All 1 case\(s\) hold/);

    const failing = await caseFor(security, `write tools/${dir}/b.ts`, 'DENY');
    const bad = check('--json');
    expect(bad.status).toBe(1);
    const report = JSON.parse(bad.stdout) as { failing: number; results: { ref: string; holds: boolean; actual: string }[] };
    expect(report.failing).toBe(1);
    expect(report.results.find((r) => !r.holds)).toMatchObject({ ref: `PC-${failing.number}`, actual: 'needs_approval' });
  });

  it('exits 2 when it cannot reach the database', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/policy/check.ts'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: 'postgresql://nobody:wrong@127.0.0.1:1/none' }, timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/could not run/);
  });
});
