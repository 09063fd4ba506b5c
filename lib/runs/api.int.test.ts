import { createPublicKey, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { keyIdOf } from '@/lib/evidence/checkpoint';
import { verifyRunEvidence } from '@/lib/evidence/verify';
import { createActor, createRunnableContract } from '@/lib/testing/factories';
import { setIdentityKillSwitch } from '@/lib/identities/commands';
import { abortRun } from '@/lib/runs/commands';
import { setServerKillSwitch } from '@/lib/registry/commands';
import { POST as startRoute } from '@/app/api/v1/runs/route';
import { GET as runRoute } from '@/app/api/v1/runs/[id]/route';
import { POST as checkRoute } from '@/app/api/v1/runs/[id]/check/route';
import { POST as receiptsRoute } from '@/app/api/v1/runs/[id]/receipts/route';
import { POST as finishRoute } from '@/app/api/v1/runs/[id]/finish/route';
import { POST as hookRoute } from '@/app/api/v1/runs/[id]/hooks/claude-code/route';
import { receiptHash } from '@/lib/domain/evidence-chain';

const BASE = 'http://mandate.test';
const keys = () => {
  const pub = createPublicKey(createPrivateKey(process.env.EVIDENCE_SIGNING_KEY!));
  return new Map([[keyIdOf(pub), pub]]);
};

function req(path: string, token: string, body?: unknown, raw?: string) {
  return new Request(`${BASE}${path}`, {
    method: body === undefined && raw === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function start(agentToken: string, contract: string) {
  const res = await startRoute(req('/api/v1/runs', agentToken, { contract }));
  return { status: res.status, body: await res.json() };
}

async function startedRun(over: Parameters<typeof createRunnableContract>[0] = {}) {
  const fx = await createRunnableContract(over);
  const { status, body } = await start(fx.agentToken, `MDT-${fx.contract.number}`);
  expect(status, JSON.stringify(body)).toBe(201);
  return { ...fx, runId: body.run.id as string, runToken: body.runToken as string };
}

const receipt = (key: string, kind = 'FILE_WRITE', payload: Record<string, unknown> = { path: 'src/billing/a.ts' }, extra: Record<string, unknown> = {}) => ({
  kind,
  payload,
  clientTimestamp: new Date().toISOString(),
  idempotencyKey: key,
  ...extra,
});

async function post(runId: string, token: string, body: unknown) {
  const res = await receiptsRoute(req(`/api/v1/runs/${runId}/receipts`, token, body), params(runId));
  return { status: res.status, body: await res.json() };
}

async function check(runId: string, token: string, action: unknown, toolUseId?: string) {
  const res = await checkRoute(req(`/api/v1/runs/${runId}/check`, token, { action, ...(toolUseId ? { toolUseId } : {}) }), params(runId));
  return { status: res.status, body: await res.json() };
}

describe('starting a run', () => {
  it('gives a run token that works for this run only, and moves the contract to running', async () => {
    const a = await startedRun();
    const b = await startedRun();
    expect(a.runToken).toMatch(/^mdr_/);
    expect((await db.taskContract.findUniqueOrThrow({ where: { id: a.contract.id } })).status).toBe('RUNNING');
    const mine = await runRoute(req(`/api/v1/runs/${a.runId}`, a.runToken), params(a.runId));
    expect(mine.status).toBe(200);
    const other = await runRoute(req(`/api/v1/runs/${b.runId}`, a.runToken), params(b.runId));
    expect(other.status).toBe(403);
    expect((await other.json()).title).toContain('belongs to another run');
    // The agent token is not a run token.
    expect((await runRoute(req(`/api/v1/runs/${a.runId}`, a.agentToken), params(a.runId))).status).toBe(401);
    // The first receipt records the start.
    const first = await db.evidenceReceipt.findFirstOrThrow({ where: { runId: a.runId, seq: 1 } });
    expect(first.payload).toMatchObject({ event: 'run.started', contract: `MDT-${a.contract.number}` });
  });

  it('refuses another identity, an unapproved contract, a killed server, a second start', async () => {
    const fx = await createRunnableContract({ tools: [{ name: 'get_issue' }] });
    const other = await createRunnableContract();
    const wrong = await start(other.agentToken, `MDT-${fx.contract.number}`);
    expect(wrong.status).toBe(403);
    expect(wrong.body.title).toContain(`names the agent ${fx.identity.name}`);

    const draft = await createRunnableContract({ status: 'IN_REVIEW' });
    const unapproved = await start(draft.agentToken, `MDT-${draft.contract.number}`);
    expect(unapproved.status).toBe(409);
    expect(unapproved.body.title).toMatch(/cannot start a run/);

    await db.mcpServer.update({ where: { id: fx.server.id }, data: { killedAt: new Date(), killReason: 'leaking rows' } });
    const killed = await start(fx.agentToken, `MDT-${fx.contract.number}`);
    expect(killed.status).toBe(409);
    expect(killed.body.title).toContain('kill switch is on (leaking rows)');
    await db.mcpServer.update({ where: { id: fx.server.id }, data: { killedAt: null } });

    expect((await start(fx.agentToken, `MDT-${fx.contract.number}`)).status).toBe(201);
    const again = await start(fx.agentToken, `MDT-${fx.contract.number}`);
    expect(again.status).toBe(409);
    expect((await start(fx.agentToken, 'MDT-999999')).status).toBe(404);
  });
});

describe('receipts', () => {
  it('stores the same idempotency key once, in a batch and across requests', async () => {
    const r = await startedRun();
    const first = await post(r.runId, r.runToken, { receipts: [receipt('k1'), receipt('k2'), receipt('k1')] });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ stored: 2, duplicates: 1 });
    const again = await post(r.runId, r.runToken, receipt('k2'));
    expect(again.body).toMatchObject({ stored: 0, duplicates: 1, receipts: [{ idempotencyKey: 'k2', seq: 3, duplicate: true }] });
    expect(await db.evidenceReceipt.count({ where: { runId: r.runId } })).toBe(3);
  });

  it('answers malformed bodies with 400 and field details, never a 500, and stores nothing', async () => {
    const r = await startedRun();
    const cases: [unknown, string][] = [
      [{ receipts: [receipt('a'), { ...receipt('b'), kind: 'TELEPATHY' }] }, 'receipts.1.kind'],
      [{ ...receipt('c'), payload: {} }, 'receipts.0.payload.path'],
      [{ ...receipt('d'), clientTimestamp: 'yesterday' }, 'receipts.0.clientTimestamp'],
      [{ ...receipt('e'), idempotencyKey: 'has spaces' }, 'receipts.0.idempotencyKey'],
      [{ ...receipt('f'), payload: { path: 'x\u0000y' } }, 'receipts.0.payload'],
      [{ ...receipt('g'), extra: 1 }, 'receipts.0'],
      [{ receipts: Array.from({ length: 501 }, (_, i) => receipt(`b${i}`)) }, 'receipts'],
      [{ receipts: [] }, 'receipts'],
      [[1, 2], '_body'],
    ];
    for (const [body, field] of cases) {
      const res = await post(r.runId, r.runToken, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.type).toBe('about:blank');
      expect(Object.keys(res.body.errors ?? {}).some((k) => k.startsWith(field)), `${field} in ${JSON.stringify(res.body.errors)}`).toBe(true);
    }
    const notJson = await receiptsRoute(req(`/api/v1/runs/${r.runId}/receipts`, r.runToken, undefined, '{"kind": '), params(r.runId));
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).title).toBe('The body is not valid JSON.');
    expect(await db.evidenceReceipt.count({ where: { runId: r.runId } })).toBe(1);
  });

  it('marks an out-of-scope receipt as a violation, tells security, and keeps it', async () => {
    const r = await startedRun();
    const res = await post(r.runId, r.runToken, { receipts: [receipt('in'), receipt('out', 'FILE_WRITE', { path: 'src/auth/session.ts' }), receipt('mcp', 'MCP_CALL', { server: 'ledger', tool: 'dump' })] });
    expect(res.body.violations).toBe(2);
    expect(res.body.receipts[1].violation).toContain("`src/auth/session.ts` is outside the contract's file scope");
    expect(res.body.receipts[2].violation).toContain('ledger/dump is not one of the contract');
    const run = await db.run.findUniqueOrThrow({ where: { id: r.runId } });
    expect(run.violationCount).toBe(2);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { targetId: r.runId, action: 'run.boundary-violation' } });
    expect(audit.after).toMatchObject({ count: 2 });
    const security = await db.user.findMany({ where: { roles: { has: 'SECURITY' }, active: true }, select: { id: true } });
    expect(security.length).toBeGreaterThan(0);
    expect(await db.notification.count({ where: { kind: 'run.violation', href: `/runs/${r.runId}` } })).toBe(security.length);
  });

  it('keeps one intact chain with 8 concurrent writers', async () => {
    const r = await startedRun({ budget: { maxToolCalls: 0 } });
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 5; i++) {
          const res = await post(r.runId, r.runToken, { receipts: Array.from({ length: 10 }, (_, j) => receipt(`w${w}-${i}-${j}`)) });
          expect(res.status).toBe(200);
        }
      })(),
    );
    await Promise.all(writers);
    const rows = await db.evidenceReceipt.findMany({ where: { runId: r.runId }, orderBy: { seq: 'asc' }, select: { seq: true } });
    expect(rows.map((x) => x.seq)).toEqual(Array.from({ length: 401 }, (_, i) => i + 1));
    const verdict = await verifyRunEvidence(r.runId, keys());
    expect(verdict).toMatchObject({ intact: true, receipts: 401 });
  });
});

describe('periodic checkpoints', () => {
  it('signs the head of a long run every 1,000 receipts while it is still going', async () => {
    const r = await startedRun({ budget: { maxToolCalls: 0 } });
    for (let b = 0; b < 3; b++) {
      const res = await post(r.runId, r.runToken, { receipts: Array.from({ length: 400 }, (_, i) => receipt(`long-${b}-${i}`)) });
      expect(res.status).toBe(200);
    }
    const checkpoints = await db.signedCheckpoint.findMany({ where: { runId: r.runId }, select: { seq: true } });
    expect(checkpoints).toEqual([{ seq: 1201 }]);
    expect(await verifyRunEvidence(r.runId, keys())).toMatchObject({ intact: true, receipts: 1201, checkpoints: { count: 1, lastSeq: 1201 } });
  });
});

describe('boundary checks', () => {
  it('answers allow, deny and needs approval with reasons, and records each decision', async () => {
    const r = await startedRun({ tools: [{ name: 'add_comment', access: 'WRITE', policy: 'NEEDS_APPROVAL' }] });
    const ok = await check(r.runId, r.runToken, { type: 'file_write', path: 'src/billing/export.ts' }, 'toolu_1');
    expect(ok.body).toMatchObject({ decision: 'allow', budget: { toolCalls: { used: 0, max: 100 } } });
    const no = await check(r.runId, r.runToken, { type: 'file_read', path: 'config/.env' });
    expect(no.body.decision).toBe('deny');
    expect(no.body.reasons[0].message).toContain('secrets and credentials are blocked');
    const ask = await check(r.runId, r.runToken, { type: 'mcp_tool', server: r.server.slug, tool: 'add_comment' });
    expect(ask.body.decision).toBe('needs_approval');
    expect(await db.boundaryCheck.count({ where: { runId: r.runId } })).toBe(3);
    const bad = await check(r.runId, r.runToken, { type: 'teleport', path: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('action.type');
  });

  it('denies with the reason once the tool-call budget is spent', async () => {
    const r = await startedRun({ budget: { maxToolCalls: 2 } });
    await post(r.runId, r.runToken, { receipts: [receipt('1'), receipt('2', 'COMMAND', { command: 'npm test' })] });
    const spent = await check(r.runId, r.runToken, { type: 'file_write', path: 'src/billing/a.ts' });
    expect(spent.body).toMatchObject({ decision: 'deny', reasons: [{ rule: 'budget', message: 'The tool-call budget is spent (2 of 2 calls)' }] });
    const over = await post(r.runId, r.runToken, receipt('3'));
    expect(over.body.receipts[0].violation).toContain('tool-call budget is spent');
  });

  it('denies at once when the identity is killed mid-run', async () => {
    const r = await startedRun();
    await db.agentIdentity.update({ where: { id: r.identity.id }, data: { killedAt: new Date(), killReason: 'runaway loop' } });
    const res = await check(r.runId, r.runToken, { type: 'file_read', path: 'src/billing/a.ts' });
    expect(res.body).toMatchObject({ decision: 'deny', reasons: [{ rule: 'kill-switch' }] });
    expect(res.body.reasons[0].message).toContain('runaway loop');
  });

  it('gives running runs a violation receipt when a kill switch is thrown on their identity or server', async () => {
    const r = await startedRun({ tools: [{ name: 'get_issue' }] });
    const other = await startedRun({ tools: [{ name: 'get_issue' }] });
    const security = await createActor(['SECURITY']);
    await setServerKillSwitch(security, { id: r.server.id, on: true, reason: 'returns live rows' });
    const kill = await db.evidenceReceipt.findFirstOrThrow({ where: { runId: r.runId, kind: 'NOTE', violation: true } });
    expect(kill.payload).toMatchObject({ event: 'kill-switch', target: r.server.slug, reason: 'returns live rows' });
    expect(kill.violationReason).toBe(`Kill switch on ${r.server.slug} while the run was going: returns live rows`);
    expect(await db.evidenceReceipt.count({ where: { runId: other.runId, violation: true } })).toBe(0);
    await setIdentityKillSwitch(security, { id: other.identity.id, on: true, reason: 'token leaked' });
    expect(await db.evidenceReceipt.count({ where: { runId: other.runId, violation: true } })).toBe(1);
    expect(await verifyRunEvidence(r.runId, keys())).toMatchObject({ intact: true });
  });

  it('flags a hook receipt whose tool_use_id never had a decision as an unchecked call', async () => {
    const r = await startedRun();
    await check(r.runId, r.runToken, { type: 'file_write', path: 'src/billing/a.ts' }, 'toolu_checked');
    const res = await post(r.runId, r.runToken, { receipts: [receipt('a', 'FILE_WRITE', { path: 'src/billing/a.ts' }, { toolUseId: 'toolu_checked' }), receipt('b', 'FILE_WRITE', { path: 'src/billing/b.ts' }, { toolUseId: 'toolu_sneaky' })] });
    expect(res.body.receipts[0].violation).toBeNull();
    expect(res.body.receipts[1].violation).toMatch(/^Unchecked call: write src\/billing\/b.ts/);
    expect(await db.run.findUniqueOrThrow({ where: { id: r.runId } })).toMatchObject({ uncheckedCalls: 1, violationCount: 1 });
  });
});

describe('token limits', () => {
  it('rate-limits per token with 429 and Retry-After, and refuses an expired run token', async () => {
    const r = await startedRun();
    process.env.AGENT_RATE_LIMIT_PER_MINUTE = '3';
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 5; i++) {
        last = await checkRoute(req(`/api/v1/runs/${r.runId}/check`, r.runToken, { action: { type: 'file_read', path: 'src/billing/a.ts' } }), params(r.runId));
        statuses.push(last.status);
      }
      // The minute window may roll over between calls; at least one call beyond the limit is refused.
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
      const refused = last!.status === 429 ? last! : undefined;
      if (refused) {
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect((await refused.json()).title).toBe('Too many requests for this token.');
      }
    } finally {
      delete process.env.AGENT_RATE_LIMIT_PER_MINUTE;
    }
    await db.run.update({ where: { id: r.runId }, data: { runTokenExpiresAt: new Date(Date.now() - 1000) } });
    const expired = await check(r.runId, r.runToken, { type: 'file_read', path: 'src/billing/a.ts' });
    expect(expired.status).toBe(401);
    expect(expired.body.title).toContain('expired');
  });
});

describe('Claude Code hook endpoint', () => {
  it('turns PreToolUse into a decision and PostToolUse into a receipt', async () => {
    const r = await startedRun();
    const hook = async (payload: unknown) => (await hookRoute(req(`/api/v1/runs/${r.runId}/hooks/claude-code`, r.runToken, payload), params(r.runId))).json();
    const cwd = '/home/dev/northwind';
    const denied = await hook({ hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: { file_path: `${cwd}/src/auth/session.ts` }, tool_use_id: 'toolu_a', cwd });
    expect(denied.hookSpecificOutput).toMatchObject({ hookEventName: 'PreToolUse', permissionDecision: 'deny' });
    expect(denied.hookSpecificOutput.permissionDecisionReason).toContain('src/auth/session.ts');
    expect(await hook({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'make deploy' }, tool_use_id: 'toolu_b', cwd })).toMatchObject({ hookSpecificOutput: { permissionDecision: 'ask' } });
    expect(await hook({ hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: { file_path: `${cwd}/src/billing/a.ts` }, tool_use_id: 'toolu_c', cwd })).toEqual({ suppressOutput: true });
    const post1 = await hook({ hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: `${cwd}/src/billing/a.ts` }, tool_use_id: 'toolu_c', tool_response: { success: true }, cwd });
    expect(post1).toEqual({ suppressOutput: true });
    const stored = await db.evidenceReceipt.findFirstOrThrow({ where: { runId: r.runId, toolUseId: 'toolu_c' } });
    expect(stored).toMatchObject({ kind: 'FILE_WRITE', idempotencyKey: 'claude:toolu_c', violation: false });
    expect(stored.payload).toMatchObject({ path: 'src/billing/a.ts' });
    // The same PostToolUse again (a retried hook) is stored once.
    await hook({ hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: `${cwd}/src/billing/a.ts` }, tool_use_id: 'toolu_c', cwd });
    expect(await db.evidenceReceipt.count({ where: { runId: r.runId, toolUseId: 'toolu_c' } })).toBe(1);
  });
});

describe('aborting', () => {
  it('lets the requester or security stop a run, with the reason in the chain; others may not', async () => {
    const r = await startedRun();
    const stranger = await createActor(['REQUESTER']);
    await expect(abortRun(stranger, { runId: r.runId, reason: 'I do not like this run.' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const done = await abortRun(r.requester, { runId: r.runId, reason: 'The agent is stuck in a loop.' });
    expect(done.run.status).toBe('aborted');
    const last = await db.evidenceReceipt.findFirstOrThrow({ where: { runId: r.runId }, orderBy: { seq: 'desc' } });
    expect(last.payload).toMatchObject({ event: 'run.finished', outcome: 'aborted', by: r.requester.name });
    expect(await db.auditEvent.count({ where: { targetId: r.runId, action: 'run.aborted', actorId: r.requester.id } })).toBe(1);
    expect((await check(r.runId, r.runToken, { type: 'file_read', path: 'src/billing/a.ts' })).status).toBe(401);
    expect(await verifyRunEvidence(r.runId, keys())).toMatchObject({ intact: true });
    await expect(abortRun(r.requester, { runId: r.runId, reason: 'Again, to be sure.' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('finishing and verifying', () => {
  it('signs the head, kills the run token, completes the contract; verify catches tampering and consistent rewrites', async () => {
    const r = await startedRun();
    await post(r.runId, r.runToken, { receipts: [receipt('a'), receipt('b', 'COST', { cents: 120 })] });
    const res = await finishRoute(req(`/api/v1/runs/${r.runId}/finish`, r.runToken, { outcome: 'succeeded', summary: 'Done', checks: [{ name: 'npm test', status: 'passed' }], patchRef: 'https://github.com/northwind/ledger/pull/7', costCents: 300 }), params(r.runId));
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ run: { status: 'succeeded', receipts: 4, costCents: 300 }, checkpoint: { seq: 4 } });
    expect((await db.taskContract.findUniqueOrThrow({ where: { id: r.contract.id } })).status).toBe('COMPLETED');
    const dead = await post(r.runId, r.runToken, receipt('c'));
    expect(dead.status).toBe(401);
    expect(dead.body.title).toContain('has finished');
    expect(await verifyRunEvidence(r.runId, keys())).toMatchObject({ intact: true, receipts: 4, checkpoints: { count: 1, lastSeq: 4 } });

    // The database refuses updates; tamper behind the app's back by disabling the guard, as an attacker with DDL rights would.
    const tamper = async (sql: string) => {
      await db.$executeRawUnsafe('ALTER TABLE "EvidenceReceipt" DISABLE TRIGGER "EvidenceReceipt_append_only"');
      try {
        await db.$executeRawUnsafe(sql);
      } finally {
        await db.$executeRawUnsafe('ALTER TABLE "EvidenceReceipt" ENABLE TRIGGER "EvidenceReceipt_append_only"');
      }
    };
    await expect(db.$executeRawUnsafe(`UPDATE "EvidenceReceipt" SET "violation" = false WHERE "runId" = '${r.runId}'`)).rejects.toThrow(/append-only/);
    await tamper(`UPDATE "EvidenceReceipt" SET "payload" = '{"path":"src/billing/innocent.ts"}' WHERE "runId" = '${r.runId}' AND "seq" = 2`);
    expect(await verifyRunEvidence(r.runId, keys())).toMatchObject({ intact: false, brokenAtSeq: 2, reason: 'receipt 2 was changed after it was written' });

    // A consistent rewrite: every hash recomputed from the tampered row on. The chain alone looks fine; the signed checkpoint does not.
    const rows = await db.evidenceReceipt.findMany({ where: { runId: r.runId }, orderBy: { seq: 'asc' } });
    let prev = rows[0]!.hash;
    for (const row of rows.slice(1)) {
      const hash = receiptHash(prev, {
        runId: row.runId, seq: row.seq, kind: row.kind, payload: row.payload, clientTimestamp: row.clientTimestamp.toISOString(), receivedAt: row.receivedAt.toISOString(),
        idempotencyKey: row.idempotencyKey, toolUseId: row.toolUseId, violation: row.violation, violationReason: row.violationReason,
      });
      await tamper(`UPDATE "EvidenceReceipt" SET "prevHash" = '${prev}', "hash" = '${hash}' WHERE "id" = ${row.id}`);
      prev = hash;
    }
    await db.run.update({ where: { id: r.runId }, data: { headHash: prev } });
    const rewritten = await verifyRunEvidence(r.runId, keys());
    expect(rewritten).toMatchObject({ intact: false, brokenAtSeq: 4 });
    expect(rewritten.reason).toContain('does not match its signed checkpoint');
  });
});
