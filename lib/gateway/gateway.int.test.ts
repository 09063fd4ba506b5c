import { createPrivateKey, createPublicKey } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { keyIdOf } from '@/lib/evidence/checkpoint';
import { verifyRunEvidence } from '@/lib/evidence/verify';
import { setIdentityStatus } from '@/lib/identities/commands';
import { setServerKillSwitch } from '@/lib/registry/commands';
import { abortRun } from '@/lib/runs/commands';
import { createActor, createRunnableContract } from '@/lib/testing/factories';
import { startMcpFixture, type McpFixture } from '@/lib/testing/mcp-fixture';
import { POST as startRoute } from '@/app/api/v1/runs/route';
import { DELETE, GET, POST } from '@/app/api/v1/mcp/[server]/route';
import { stopGatewayListener } from './cache';
import { flushGatewayEvidence } from './recorder';
import { closeUpstreams } from './upstream';
import { decideCall } from './approvals';
import { startGatewayListener } from './listener';

const BASE = 'http://mandate.test';
let fixture: McpFixture;

beforeAll(async () => {
  fixture = await startMcpFixture();
});
afterAll(async () => {
  await flushGatewayEvidence();
  await stopGatewayListener();
  await closeUpstreams();
  await fixture.close();
});

/** Requests to the gateway go straight into its route handler: a real SDK client, no HTTP server in between. */
const gatewayFetch = async (input: string | URL | Request, init?: RequestInit) => {
  const request = new Request(input instanceof Request ? input : String(input), init);
  const slug = new URL(request.url).pathname.split('/').at(-1)!;
  const handler = { POST, GET, DELETE }[request.method as 'POST' | 'GET' | 'DELETE'];
  if (!handler) return new Response(null, { status: 405 });
  return handler(request, { params: Promise.resolve({ server: slug }) });
};

type Tools = NonNullable<Parameters<typeof createRunnableContract>[0]>['tools'];

async function gatewayRun(tools: Tools, over: Parameters<typeof createRunnableContract>[0] = {}) {
  const fx = await createRunnableContract({ ...over, tools });
  await db.mcpServer.update({ where: { id: fx.server.id }, data: { endpoint: fixture.url } });
  const res = await startRoute(new Request(`${BASE}/api/v1/runs`, { method: 'POST', headers: { authorization: `Bearer ${fx.agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ contract: `MDT-${fx.contract.number}` }) }));
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { ...fx, runId: body.run.id as string, runToken: body.runToken as string };
}

async function connect(slug: string, headers: Record<string, string>) {
  const client = new Client({ name: 'gateway-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${BASE}/api/v1/mcp/${slug}`), { fetch: gatewayFetch, requestInit: { headers } }));
  return client;
}

const receivedSince = (from: number) => fixture.received.slice(from).map((c) => c.tool);
/** The run's receipts once the gateway's writes behind the answers have landed. */
const receipts = async (runId: string) => {
  await flushGatewayEvidence();
  return db.evidenceReceipt.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
};
/** A committed change reaches the gateway's cache through NOTIFY: asynchronous, though within a millisecond or so. */
const heard = () => new Promise((resolve) => setTimeout(resolve, 50));
const keys = () => {
  const pub = createPublicKey(createPrivateKey(process.env.EVIDENCE_SIGNING_KEY!));
  return new Map([[keyIdOf(pub), pub]]);
};

describe('the MCP gateway', () => {
  it('lists only the tools the contract may use and refuses the rest with the reason, before the upstream sees them', async () => {
    const r = await gatewayRun([
      { name: 'read_ticket' },
      { name: 'write_comment', access: 'WRITE', policy: 'BLOCKED' },
    ]);
    const client = await connect(r.server.slug, { authorization: `Bearer ${r.runToken}` });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['read_ticket']);
    expect(tools[0]!.inputSchema).toMatchObject({ type: 'object', properties: { id: { type: 'string' } } });

    const before = fixture.received.length;
    await expect(client.callTool({ name: 'write_comment', arguments: { ticket: 'SUP-101', body: 'hi' } })).rejects.toThrow(/Mandate refused .*write_comment: .*blocked by policy/);
    await expect(client.callTool({ name: 'search_docs', arguments: { query: 'refund' } })).rejects.toThrow(/not one of the contract's MCP capabilities/);
    expect(receivedSince(before)).toEqual([]);

    // The refusals are in the chain as notes (not violations: nothing ran).
    const notes = (await receipts(r.runId)).filter((x) => (x.payload as { event?: string }).event === 'gateway.refused');
    expect(notes.map((n) => (n.payload as { tool: string }).tool)).toEqual(['write_comment', 'search_docs']);
    expect(notes.every((n) => !n.violation)).toBe(true);
    expect(await db.boundaryCheck.count({ where: { runId: r.runId, verdict: 'DENY' } })).toBe(2);
    expect(notes.map((n) => n.toolUseId)).toEqual([null, null]);
    await client.close();
  });

  it('forwards an allowed call and writes its receipt into an intact chain, with secrets redacted', async () => {
    const r = await gatewayRun([{ name: 'read_ticket' }, { name: 'search_docs' }]);
    const client = await connect(r.server.slug, { authorization: `Bearer ${r.runToken}` });
    const before = fixture.received.length;
    const ticket = await client.callTool({ name: 'read_ticket', arguments: { id: 'SUP-101' } });
    expect(JSON.stringify(ticket.content)).toContain('CSV export times out');
    const secret = 'ghp_' + 'Z'.repeat(36);
    await client.callTool({ name: 'search_docs', arguments: { query: `refund policy ${secret}`, apiKey: 'sk-plain-secret' } });
    // The upstream got the real arguments; the evidence holds the redacted ones.
    expect(fixture.received.slice(before).map((c) => c.arguments)).toEqual([{ id: 'SUP-101' }, { query: `refund policy ${secret}`, apiKey: 'sk-plain-secret' }]);

    const calls = (await receipts(r.runId)).filter((x) => x.kind === 'MCP_CALL');
    expect(calls).toHaveLength(2);
    expect(calls[0]!.payload).toMatchObject({ server: r.server.slug, tool: 'read_ticket', via: 'gateway', arguments: { id: 'SUP-101' }, outcome: 'ok' });
    expect((calls[0]!.payload as { resultBytes: number }).resultBytes).toBeGreaterThan(50);
    expect(typeof (calls[0]!.payload as { latencyMs: number }).latencyMs).toBe('number');
    expect(calls[1]!.payload).toMatchObject({
      arguments: { query: 'refund policy [redacted: GitHub token]', apiKey: '[redacted: secret field]' },
      redactions: [
        { path: 'arguments.query', pattern: 'GitHub token' },
        { path: 'arguments.apiKey', pattern: 'secret field' },
      ],
    });
    expect(JSON.stringify(calls.map((c) => c.payload))).not.toContain('sk-plain-secret');
    expect(JSON.stringify(calls.map((c) => c.payload))).not.toContain(secret);
    expect(calls.every((c) => !c.violation)).toBe(true);
    expect(calls.map((c) => c.toolUseId)).toEqual(await db.boundaryCheck.findMany({ where: { runId: r.runId, verdict: 'ALLOW' }, orderBy: { id: 'asc' } }).then((x) => x.map((c) => c.toolUseId)));
    const run = await db.run.findUniqueOrThrow({ where: { id: r.runId } });
    expect(run).toMatchObject({ toolCalls: 2, violationCount: 0, uncheckedCalls: 0 });
    expect(await verifyRunEvidence(r.runId, keys())).toMatchObject({ intact: true, receipts: 3 });
    await client.close();
  });

  it('cuts a call in flight when the kill switch is thrown, and refuses the next one', async () => {
    const r = await gatewayRun([{ name: 'slow_report' }, { name: 'read_ticket' }]);
    const security = await createActor(['SECURITY']);
    const client = await connect(r.server.slug, { authorization: `Bearer ${r.runToken}` });
    const started = Date.now();
    const slow = client.callTool({ name: 'slow_report', arguments: { ms: 10_000 } });
    const settled = slow.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await setServerKillSwitch(security, { id: r.server.id, on: true, reason: 'Leaking ticket data to a pastebin' });
    expect(await settled).toMatch(/Mandate cut off .*slow_report while it ran: .*kill switch is on: Leaking ticket data/);
    expect(Date.now() - started).toBeLessThan(3_000);
    await heard();

    const before = fixture.received.length;
    await expect(client.callTool({ name: 'read_ticket', arguments: { id: 'SUP-102' } })).rejects.toThrow(/kill switch is on/);
    expect(receivedSince(before)).toEqual([]);
    const cut = (await receipts(r.runId)).find((x) => x.kind === 'MCP_CALL');
    expect(cut!.payload).toMatchObject({ tool: 'slow_report', outcome: 'cut-off' });
    await client.close();
  });

  it('a call cut off because its run was aborted still leaves a trace (the audit log, as the chain is closed)', async () => {
    const r = await gatewayRun([{ name: 'slow_report' }]);
    const client = await connect(r.server.slug, { authorization: `Bearer ${r.runToken}` });
    const slow = client.callTool({ name: 'slow_report', arguments: { ms: 10_000 } }).then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await abortRun(r.requester, { runId: r.runId, reason: 'Stopping this run from the test' });
    expect(await slow).toMatch(/cut off .*slow_report while it ran: The run has finished \(aborted\)/);
    await flushGatewayEvidence();
    const trace = await db.auditEvent.findFirstOrThrow({ where: { targetId: r.runId, action: 'gateway.call-after-run-ended' } });
    expect(JSON.stringify(trace.after)).toContain('"outcome":"cut-off"');
    expect(await db.boundaryCheck.count({ where: { runId: r.runId, verdict: 'ALLOW' } })).toBe(1);
    expect(await verifyRunEvidence(r.runId, keys())).toMatchObject({ intact: true });
    await client.close();
  });

  it('holds the tool-call budget for concurrent calls: exactly the budget gets through', async () => {
    const r = await gatewayRun([{ name: 'read_ticket' }], { budget: { maxToolCalls: 3 } });
    const client = await connect(r.server.slug, { authorization: `Bearer ${r.runToken}` });
    const before = fixture.received.length;
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => client.callTool({ name: 'read_ticket', arguments: { id: 'SUP-101' } }).then(() => 'ok', (e: Error) => e.message)));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    expect(outcomes.filter((o) => /tool-call budget is spent/.test(o))).toHaveLength(3);
    expect(receivedSince(before)).toHaveLength(3);
    expect((await receipts(r.runId)).filter((x) => x.violation)).toEqual([]);
    await client.close();
  });

  it('in sync mode, answers only once the receipt is committed', async () => {
    process.env.MANDATE_GATEWAY_EVIDENCE = 'sync';
    try {
      const r = await gatewayRun([{ name: 'read_ticket' }]);
      const client = await connect(r.server.slug, { authorization: `Bearer ${r.runToken}` });
      await client.callTool({ name: 'read_ticket', arguments: { id: 'SUP-103' } });
      // No flush: the receipt is there when the answer is.
      const rows = await db.evidenceReceipt.findMany({ where: { runId: r.runId, kind: 'MCP_CALL' } });
      expect(rows.map((x) => x.payload)).toMatchObject([{ tool: 'read_ticket', arguments: { id: 'SUP-103' }, outcome: 'ok' }]);
      await client.close();
    } finally {
      delete process.env.MANDATE_GATEWAY_EVIDENCE;
    }
  });

  it('holds a needs-approval call for the requester, lets it through once approved, and refuses it once denied', async () => {
    const r = await gatewayRun([{ name: 'write_comment', access: 'WRITE', policy: 'NEEDS_APPROVAL' }]);
    const client = await connect(r.server.slug, { authorization: `Bearer ${r.runToken}` });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['write_comment']);
    const call = { name: 'write_comment', arguments: { ticket: 'SUP-101', body: 'Fixed in 2.4.1' } };
    const before = fixture.received.length;
    await expect(client.callTool(call)).rejects.toThrow(new RegExp(`waits for a person's approval and was not run .*decides at ${BASE}/runs/${r.runId}#held-calls`));
    await expect(client.callTool(call)).rejects.toThrow(/waits for a person's approval/);
    expect(receivedSince(before)).toEqual([]);
    const held = await db.callApproval.findMany({ where: { runId: r.runId } });
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ status: 'PENDING', server: r.server.slug, tool: 'write_comment', arguments: call.arguments });
    expect(await db.notification.count({ where: { userId: r.requester.id, kind: 'call-approval.requested' } })).toBe(1);

    // Only the requester (or security) decides.
    const stranger = await createActor(['REQUESTER']);
    await expect(decideCall(stranger, { approvalId: held[0]!.id, decision: 'approve', note: '' })).rejects.toThrow(/Only the requester/);
    await flushGatewayEvidence();
    await decideCall(r.requester, { approvalId: held[0]!.id, decision: 'approve', note: 'Yes, that ticket' });
    // Other arguments are another call: still held.
    await expect(client.callTool({ name: 'write_comment', arguments: { ticket: 'SUP-102', body: 'x' } })).rejects.toThrow(/waits for a person's approval/);
    const ok = await client.callTool(call);
    expect(JSON.stringify(ok.content)).toContain('Comment added to SUP-101');
    expect(receivedSince(before)).toEqual(['write_comment']);
    expect(await db.callApproval.findUniqueOrThrow({ where: { id: held[0]!.id } })).toMatchObject({ status: 'USED' });

    // The approval was for one call: the same call again is held again, and this time denied.
    await expect(client.callTool(call)).rejects.toThrow(/waits for a person's approval/);
    const again = await db.callApproval.findFirstOrThrow({ where: { runId: r.runId, status: 'PENDING', argumentsHash: held[0]!.argumentsHash } });
    await flushGatewayEvidence();
    await decideCall(r.requester, { approvalId: again.id, decision: 'deny', note: 'One comment is enough' });
    await expect(client.callTool(call)).rejects.toThrow(/denied .*write_comment with these arguments: One comment is enough/);
    await expect(decideCall(r.requester, { approvalId: held[0]!.id, decision: 'deny', note: 'too late' })).rejects.toThrow(/already used/);
    // Nobody can approve what they cannot see: arguments with a secret are not held but refused.
    await expect(client.callTool({ name: 'write_comment', arguments: { ticket: 'SUP-101', body: `token ghp_${'k'.repeat(36)}` } })).rejects.toThrow(/its arguments hold secrets \(arguments.body\)/);
    expect(receivedSince(before)).toEqual(['write_comment']);

    const rows = await receipts(r.runId);
    const forwarded = rows.filter((x) => x.kind === 'MCP_CALL');
    expect(forwarded.map((x) => x.payload)).toMatchObject([{ tool: 'write_comment', outcome: 'ok', approval: { id: held[0]!.id } }]);
    expect(rows.every((x) => !x.violation)).toBe(true);
    expect(rows.map((x) => (x.payload as { event?: string }).event).filter(Boolean)).toEqual([
      'run.started',
      'gateway.needs-approval',
      'gateway.needs-approval',
      'call.approved',
      'gateway.needs-approval',
      'gateway.needs-approval',
      'call.denied',
      'gateway.refused',
      'gateway.refused',
    ]);
    expect(await verifyRunEvidence(r.runId, keys())).toMatchObject({ intact: true });
    await client.close();
  });

  it('with MANDATE_GATEWAY_HOLD_SECONDS, keeps a held call open and runs it as soon as it is approved', async () => {
    process.env.MANDATE_GATEWAY_HOLD_SECONDS = '10';
    try {
      const r = await gatewayRun([{ name: 'write_comment', access: 'WRITE', policy: 'NEEDS_APPROVAL' }]);
      const client = await connect(r.server.slug, { authorization: `Bearer ${r.runToken}` });
      const started = Date.now();
      const answer = client.callTool({ name: 'write_comment', arguments: { ticket: 'SUP-103', body: 'Closing: fixed.' } });
      let held = null;
      while (!held) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        held = await db.callApproval.findFirst({ where: { runId: r.runId, status: 'PENDING' } });
      }
      await decideCall(r.requester, { approvalId: held.id, decision: 'approve', note: '' });
      expect(JSON.stringify((await answer).content)).toContain('Comment added to SUP-103');
      expect(Date.now() - started).toBeLessThan(5_000);
      const rows = await receipts(r.runId);
      expect(rows.filter((x) => x.kind === 'MCP_CALL').map((x) => x.payload)).toMatchObject([{ tool: 'write_comment', approval: { id: held.id } }]);
      expect(rows.every((x) => !x.violation)).toBe(true);
      await client.close();
    } finally {
      delete process.env.MANDATE_GATEWAY_HOLD_SECONDS;
    }
  });

  it('takes the agent token with a Mandate-Run header, and refuses what is not this agent’s run', async () => {
    const r = await gatewayRun([{ name: 'read_ticket' }]);
    const other = await gatewayRun([{ name: 'read_ticket' }]);
    const client = await connect(r.server.slug, { authorization: `Bearer ${r.agentToken}`, 'mandate-run': r.runId });
    expect((await client.listTools()).tools).toHaveLength(1);
    await client.close();

    const call = (headers: Record<string, string>, slug = r.server.slug) =>
      gatewayFetch(`${BASE}/api/v1/mcp/${slug}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    const none = await call({});
    expect(none.status).toBe(401);
    expect((await none.json()).title).toContain('Authorization: Bearer mdr_');
    const noRun = await call({ authorization: `Bearer ${r.agentToken}` });
    expect((await noRun.json()).title).toContain('Mandate-Run header');
    const foreign = await call({ authorization: `Bearer ${r.agentToken}`, 'mandate-run': other.runId });
    expect(foreign.status).toBe(403);
    expect((await call({ authorization: `Bearer ${r.runToken}` }, 'no-such-server')).status).toBe(404);
    const batch = await gatewayFetch(`${BASE}/api/v1/mcp/${r.server.slug}`, { method: 'POST', headers: { authorization: `Bearer ${r.runToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { jsonrpc: '2.0', id: 2, method: 'tools/list' }]) });
    expect(batch.status).toBe(400);
    expect((await batch.json()).title).toContain('batches are not accepted');

    // A suspended identity: its run's calls are refused with the reason.
    const security = await createActor(['SECURITY']);
    await setIdentityStatus(security, { identityId: r.identity.id, status: 'SUSPENDED', reason: 'Investigating a leaked ticket' });
    await heard();
    const again = await connect(r.server.slug, { authorization: `Bearer ${r.runToken}` });
    await expect(again.callTool({ name: 'read_ticket', arguments: { id: 'SUP-101' } })).rejects.toThrow(/suspended: Investigating a leaked ticket/);
    await again.close();
  });

  it('serves the same gateway on a listener of its own, over real HTTP', async () => {
    const r = await gatewayRun([{ name: 'search_docs' }]);
    const { server, port } = await startGatewayListener(0, '127.0.0.1');
    try {
      const client = new Client({ name: 'listener-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/api/v1/mcp/${r.server.slug}`), { requestInit: { headers: { authorization: `Bearer ${r.runToken}` } } }));
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['search_docs']);
      const answer = await client.callTool({ name: 'search_docs', arguments: { query: 'refund' } });
      expect(JSON.stringify(answer.content)).toContain('Refund policy');
      await client.close();
      const res = await fetch(`http://127.0.0.1:${port}/elsewhere`);
      expect(res.status).toBe(404);
      const unauthenticated = await fetch(`http://127.0.0.1:${port}/api/v1/mcp/${r.server.slug}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(unauthenticated.status).toBe(401);
      expect((await receipts(r.runId)).filter((x) => x.kind === 'MCP_CALL')).toHaveLength(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
