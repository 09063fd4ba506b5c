import { afterEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { createActor, createUser } from '@/lib/testing/factories';
import { createIdentity, createToken, revokeToken, rotateToken, setIdentityKillSwitch, setIdentityStatus } from './commands';
import { GET as me } from '@/app/api/v1/me/route';
import { describeCapability, importTools, registerServer, setServerKillSwitch, updateServerControls } from '@/lib/registry/commands';

const REASON = 'Rotating after the laptop was replaced.';
const call = (token?: string) => me(new Request('http://mandate.test/api/v1/me', { headers: token ? { authorization: `Bearer ${token}` } : {} }));

async function setup() {
  const security = await createActor(['SECURITY']);
  const owner = await createUser();
  const identity = await createIdentity(security, { name: `bot-${owner.id.slice(-8)}`, kind: 'CI_AGENT', description: '', ownerId: owner.id, tools: ['Read'], commands: ['npm test'] });
  return { security, identity };
}

afterEach(() => vi.restoreAllMocks());

describe('agent tokens and the API', () => {
  it('shows a token once, stores only its hash and prefix, and never logs it', async () => {
    const logged: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, level).mockImplementation((...args) => void logged.push(args.map(String).join(' ')));
    const { security, identity } = await setup();
    const created = await createToken(security, { identityId: identity.id, name: 'CI runner', expiresInDays: 30 });
    expect(created.token).toMatch(/^mdt_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/);
    const res = await call(created.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ identity: identity.name, token: created.prefix });

    const row = await db.agentToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(row.lastUsedAt).not.toBeNull();
    const audits = await db.auditEvent.findMany({ where: { targetId: created.id } });
    expect(JSON.stringify(audits.map((a) => ({ before: a.before, after: a.after })))).not.toContain(created.token);
    expect(logged.join('\n')).not.toContain(created.token);
  });

  it('refuses a missing, unknown, revoked or expired token with 401 and a reason', async () => {
    const { security, identity } = await setup();
    expect((await call()).status).toBe(401);
    expect((await call('mdt_unknown0_abcdefghijklmnopqrstuvwxyz0123456789abcdefg')).status).toBe(401);
    const revoked = await createToken(security, { identityId: identity.id, name: 'old laptop', expiresInDays: 30 });
    await revokeToken(security, { tokenId: revoked.id, reason: REASON });
    const res = await call(revoked.token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ title: 'This token was revoked.', status: 401 });

    const expiring = await createToken(security, { identityId: identity.id, name: 'short', expiresInDays: 1 });
    await db.agentToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await (await call(expiring.token)).json()).toMatchObject({ title: 'This token has expired.' });
  });

  it('refuses every token of a suspended or killed identity with 403, at once', async () => {
    const { security, identity } = await setup();
    const t = await createToken(security, { identityId: identity.id, name: 'laptop', expiresInDays: 30 });
    await setIdentityStatus(security, { identityId: identity.id, status: 'SUSPENDED', reason: 'Investigating a scope violation.' });
    expect(await (await call(t.token)).json()).toMatchObject({ status: 403, title: `${identity.name} is suspended.` });
    await setIdentityStatus(security, { identityId: identity.id, status: 'ACTIVE', reason: 'Investigation closed, all clear.' });
    expect((await call(t.token)).status).toBe(200);
    await setIdentityKillSwitch(security, { id: identity.id, on: true, reason: 'Agent looping on production data.' });
    expect(await (await call(t.token)).json()).toMatchObject({ status: 403, title: `The kill switch is on for ${identity.name}.` });
  });

  it('keeps a rotated token working for its grace period only', async () => {
    const { security, identity } = await setup();
    const old = await createToken(security, { identityId: identity.id, name: 'laptop', expiresInDays: 90 });
    const fresh = await rotateToken(security, { tokenId: old.id, graceHours: 2 });
    expect((await call(old.token)).status).toBe(200);
    expect((await call(fresh.token)).status).toBe(200);
    await db.agentToken.update({ where: { id: old.id }, data: { graceEndsAt: new Date(Date.now() - 1000) } });
    expect((await call(old.token)).status).toBe(401);
    await expect(rotateToken(security, { tokenId: old.id, graceHours: 1 })).rejects.toThrow('This token was rotated already.');
  });

  it('lets only security manage identities and tokens', async () => {
    const { identity } = await setup();
    const requester = await createActor(['REQUESTER', 'APPROVER', 'LEADER', 'ADMIN']);
    await expect(createToken(requester, { identityId: identity.id, name: 'mine', expiresInDays: 5 })).rejects.toThrow('Your role does not allow this.');
    await expect(setIdentityKillSwitch(requester, { id: identity.id, on: true, reason: 'I would like to stop it.' })).rejects.toThrow('Your role does not allow this.');
  });
});

describe('MCP registry rules', () => {
  const toolsJson = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: ['read_ticket', 'search_docs', 'write_comment'].map((name) => ({ name, description: name, inputSchema: { type: 'object' } })) } });

  async function server() {
    const security = await createActor(['SECURITY']);
    const owner = await createUser();
    const s = await registerServer(security, { name: 'Tickets', slug: `tickets-${owner.id.slice(-8)}`, description: '', transport: 'STREAMABLE_HTTP', endpoint: 'http://127.0.0.1:9/mcp', ownerId: owner.id });
    return { security, server: s };
  }

  it('imports every tool blocked, or nothing when the JSON is wrong', async () => {
    const { security, server: s } = await server();
    const broken = JSON.stringify({ tools: [{ name: 'ok', inputSchema: { type: 'object' } }, { name: 'bad name!', inputSchema: { type: 'object' } }] });
    await expect(importTools(security, { serverId: s.id, json: broken })).rejects.toMatchObject({ code: 'VALIDATION', fieldErrors: { json: [expect.stringContaining('tools[1].name')] } });
    expect(await db.mcpCapability.count({ where: { serverId: s.id } })).toBe(0);
    expect(await importTools(security, { serverId: s.id, json: toolsJson })).toEqual({ added: 3, updated: 0 });
    const caps = await db.mcpCapability.findMany({ where: { serverId: s.id } });
    expect(caps.every((c) => c.policy === 'BLOCKED' && c.businessCapability === null)).toBe(true);
    expect(await importTools(security, { serverId: s.id, json: toolsJson })).toEqual({ added: 0, updated: 3 });
  });

  it('keeps capabilities blocked until the server has logging, owner review and a kill switch, and a description', async () => {
    const { security, server: s } = await server();
    await importTools(security, { serverId: s.id, json: toolsJson });
    const cap = await db.mcpCapability.findFirstOrThrow({ where: { serverId: s.id, toolName: 'read_ticket' } });
    const describe = (policy: 'DEFAULT_READ' | 'NEEDS_APPROVAL', businessCapability = 'read customer escalation detail') =>
      describeCapability(security, { capabilityId: cap.id, businessCapability, dataClass: 'CUSTOMER', access: 'READ', policy });
    await expect(describe('NEEDS_APPROVAL')).rejects.toMatchObject({ fieldErrors: { policy: ['Stays blocked until the server has logging, an owner review, a kill switch.'] } });
    await updateServerControls(security, { serverId: s.id, hasLogging: true, hasOwnerReview: true, hasKillSwitch: true });
    await expect(describe('NEEDS_APPROVAL', '')).rejects.toMatchObject({ fieldErrors: { policy: [expect.stringContaining('Describe the business capability')] } });
    await describe('NEEDS_APPROVAL');
    expect((await db.mcpCapability.findUniqueOrThrow({ where: { id: cap.id } })).policy).toBe('NEEDS_APPROVAL');
    const { reblocked } = await updateServerControls(security, { serverId: s.id, hasLogging: true, hasOwnerReview: false, hasKillSwitch: true });
    expect(reblocked).toBe(1);
    expect((await db.mcpCapability.findUniqueOrThrow({ where: { id: cap.id } })).policy).toBe('BLOCKED');
  });

  it('records the kill switch with its reason, both ways', async () => {
    const { security, server: s } = await server();
    await setServerKillSwitch(security, { id: s.id, on: true, reason: 'Tool returned customer data to the agent.' });
    await expect(setServerKillSwitch(security, { id: s.id, on: true, reason: 'Pressing it twice by accident.' })).rejects.toThrow('already on');
    await setServerKillSwitch(security, { id: s.id, on: false, reason: 'Fixed the redaction; lifting.' });
    expect((await db.auditEvent.findMany({ where: { targetId: s.id }, orderBy: { id: 'asc' } })).map((e) => e.action)).toEqual(['mcp-server.registered', 'mcp-server.killed', 'mcp-server.kill-lifted']);
  });
});
