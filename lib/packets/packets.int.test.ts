import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createActor, createRunnableContract } from '@/lib/testing/factories';
import { finishRun, postReceipts, startRun, checkAction } from '@/lib/runs/commands';
import { runContextById } from '@/lib/runs/context';
import { buildPacket } from './build';
import { closeOut, saveRollbackNote } from './commands';
import { packetMarkdown } from './markdown';
import { PacketExport } from './schema';

const now = () => new Date().toISOString();

async function finishedHighRun() {
  const fx = await createRunnableContract({ tier: 'HIGH', allowGlobs: ['src/billing/**'], checks: ['npm test', 'npm run lint'], tools: [{ name: 'get_issue' }] });
  const token = await db.agentToken.findFirstOrThrow({ where: { identityId: fx.identity.id } });
  const started = await startRun({ identityId: fx.identity.id, identityName: fx.identity.name, tokenId: token.id, tokenPrefix: token.prefix }, { contract: `MDT-${fx.contract.number}` }, 'http://mandate.test');
  const ctx = (await runContextById(started.run.id))!;
  await checkAction(ctx, { action: { type: 'file_write', path: 'src/billing/export.ts' }, toolUseId: 'toolu_1' });
  await postReceipts(ctx, [
    { kind: 'FILE_READ', payload: { path: 'README.md' }, clientTimestamp: now(), idempotencyKey: 'r1' },
    { kind: 'FILE_WRITE', payload: { path: 'src/billing/export.ts' }, clientTimestamp: now(), idempotencyKey: 'r2', toolUseId: 'toolu_1' },
    { kind: 'FILE_WRITE', payload: { path: 'src/auth/session.ts' }, clientTimestamp: now(), idempotencyKey: 'r3' },
    { kind: 'COMMAND', payload: { command: 'npm test', exitCode: 0 }, clientTimestamp: now(), idempotencyKey: 'r4' },
    { kind: 'MCP_CALL', payload: { server: fx.server.slug, tool: 'get_issue' }, clientTimestamp: now(), idempotencyKey: 'r5' },
    { kind: 'MCP_CALL', payload: { server: fx.server.slug, tool: 'get_issue' }, clientTimestamp: now(), idempotencyKey: 'r6' },
  ]);
  await finishRun((await runContextById(started.run.id))!, { outcome: 'succeeded', summary: 'Export as CSV', checks: [{ name: 'npm test', status: 'passed' }], patchRef: 'https://github.com/northwind/ledger/pull/9', costCents: 250 });
  return { ...fx, runId: started.run.id };
}

describe('review packets', () => {
  it('fills every section from the records of a finished run', async () => {
    const r = await finishedHighRun();
    await db.taskContract.update({ where: { id: r.contract.id }, data: { residualRisk: 'CSV encoding of legacy rows is not covered by tests.' } });
    const built = (await buildPacket(r.runId))!;
    const p = built.content;
    expect(built.frozen).toBe(false);
    expect(p.contract.ref).toBe(`MDT-${r.contract.number}`);
    expect(p.scope.inScope).toEqual([{ path: 'src/billing/export.ts', reads: 0, writes: 1 }]);
    expect(p.scope.outOfScope).toEqual([{ path: 'src/auth/session.ts', reads: 0, writes: 1 }, { path: 'README.md', reads: 1, writes: 0 }]);
    expect(p.commands).toEqual([{ seq: 5, command: 'npm test', exitCode: 0 }]);
    expect(p.checks).toEqual([{ name: 'npm test', status: 'passed', detail: null }]);
    expect(p.mcpCalls).toEqual([{ server: r.server.slug, tool: 'get_issue', count: 2 }]);
    expect(p.violations).toHaveLength(1);
    expect(p.risk.residualRisk).toContain('CSV encoding');
    expect(p.risk.observed).toEqual(expect.arrayContaining(['1 boundary violation recorded during the run.', 'The contract’s check `npm run lint` has no reported result.']));
    expect(p.evidence).toMatchObject({ receipts: 8, intact: true, checkpoint: { seq: 8 } });
    expect(p.run).toMatchObject({ patchRef: 'https://github.com/northwind/ledger/pull/9', costCents: 250 });
    const md = packetMarkdown(p, { frozen: false, version: null });
    for (const heading of ['## Why this tier', '## Scope vs files touched', '## Commands and checks', '## Tool and MCP calls', '## Approvals, exceptions, violations', '## Residual risk', '## Rollback note', '## Evidence', '## Close-out']) {
      expect(md).toContain(heading);
    }
    expect(PacketExport.safeParse(built.export).success).toBe(true);
  });

  it('demands a rollback note from High up, lets only the accountable person close out, then freezes the packet', async () => {
    const r = await finishedHighRun();
    const stranger = await createActor(['APPROVER']);
    await expect(closeOut(r.requester, { runId: r.runId, outcome: 'ACCEPTED', reason: 'Checked the CSV output by hand.' })).rejects.toMatchObject({ code: 'VALIDATION', fieldErrors: { rollback: expect.any(Array) } });
    await saveRollbackNote(r.requester, { contractId: r.contract.id, steps: 'Revert the pull request and redeploy the service.', verification: 'Export page shows the old format.', executors: 'Billing on-call' });
    await expect(closeOut(stranger, { runId: r.runId, outcome: 'ACCEPTED', reason: 'Looks fine to me, accepting.' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const packet = await closeOut(r.requester, { runId: r.runId, outcome: 'ACCEPTED', reason: 'Checked the CSV output by hand.' });
    expect(packet.version).toBe(1);
  });

  it('freezes at close-out: stored, never updated, later changes refused', async () => {
    const r = await finishedHighRun();
    await saveRollbackNote(r.requester, { contractId: r.contract.id, steps: 'Revert the pull request and redeploy the service.', verification: 'Export page shows the old format.', executors: 'Billing on-call' });
    const packet = await closeOut(r.requester, { runId: r.runId, outcome: 'REJECTED', reason: 'The export leaks a column it should not; rolling back.' });
    expect(packet.version).toBe(1);
    const contract = await db.taskContract.findUniqueOrThrow({ where: { id: r.contract.id } });
    expect(contract).toMatchObject({ status: 'CLOSED', closeOutOutcome: 'REJECTED' });
    const built = (await buildPacket(r.runId))!;
    expect(built).toMatchObject({ frozen: true, packetVersion: 1, content: { closeOut: { outcome: 'REJECTED' }, rollback: { executors: 'Billing on-call' } } });
    await expect(db.reviewPacket.update({ where: { id: packet.id }, data: { reason: 'edited' } })).rejects.toThrow(/frozen/);
    await expect(db.reviewPacket.delete({ where: { id: packet.id } })).rejects.toThrow(/frozen/);
    await expect(saveRollbackNote(r.requester, { contractId: r.contract.id, steps: 'Something else entirely, edited later.', verification: 'Whatever it is.', executors: 'Anyone' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(closeOut(r.requester, { runId: r.runId, outcome: 'ACCEPTED', reason: 'Changed my mind about it.' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('exports JSON that the standalone verifier accepts with the public key alone, and rejects when tampered', async () => {
    const r = await finishedHighRun();
    const built = (await buildPacket(r.runId))!;
    const dir = mkdtempSync(join(tmpdir(), 'packet-'));
    const pem = createPublicKey(createPrivateKey(process.env.EVIDENCE_SIGNING_KEY!)).export({ type: 'spki', format: 'pem' }).toString();
    writeFileSync(join(dir, 'key.pem'), pem);
    writeFileSync(join(dir, 'packet.json'), JSON.stringify(built.export));
    const verifier = join(process.cwd(), 'public/integrations/verify-packet.mjs');
    const ok = execFileSync(process.execPath, [verifier, join(dir, 'packet.json'), '--public-key', join(dir, 'key.pem')], { encoding: 'utf8' });
    expect(ok).toContain('✓ VERIFIED');
    const tampered = structuredClone(built.export);
    (tampered.evidence.receipts[3]!.payload as Record<string, unknown>).path = 'src/billing/innocent.ts';
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    let out = '';
    try {
      execFileSync(process.execPath, [verifier, join(dir, 'tampered.json'), '--public-key', join(dir, 'key.pem')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      out = String((error as { stderr: string }).stderr);
      expect((error as { status: number }).status).toBe(1);
    }
    expect(out).toContain('receipt 4 was changed after it was written');
  });
});
