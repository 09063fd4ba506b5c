import { describe, expect, it } from 'vitest';
import { applyChange, caseHolds, evaluateCase, simulate, type Policy, type SimulatedCase, type SimulatedContract } from './policy-case';
import type { CapabilityRule, SensitiveAreaRule } from './risk';

const area = (id: string, pattern: string, tier: SensitiveAreaRule['tier'], category = id): SensitiveAreaRule => ({ id, name: id, category, pattern, tier, enabled: true });
const cap = (toolName: string, over: Partial<CapabilityRule> = {}): CapabilityRule => ({
  id: `cap-${toolName}`,
  serverName: 'tickets',
  toolName,
  businessCapability: toolName,
  dataClass: 'INTERNAL',
  access: 'READ',
  policy: 'DEFAULT_READ',
  serverKilled: false,
  ...over,
});

const POLICY: Policy = {
  registry: {
    sensitiveAreas: [area('internal-tools', '**/internal-tools/**', 'HIGH'), area('env', '**/*.env*', 'STOP', 'secrets'), area('billing', '**/billing/**', 'HIGH')],
    capabilities: [cap('search'), cap('comment', { access: 'WRITE', policy: 'NEEDS_APPROVAL' }), cap('export', { policy: 'BLOCKED' })],
  },
  toolProfiles: { claude: ['Read', 'Edit', 'WebFetch'], bot: ['Read'] },
};
const ctx = { identity: 'claude', allowedData: ['repo-content'] };

describe('evaluateCase', () => {
  it('a write into a High sensitive area needs approval; a Stop area is denied', () => {
    const high = evaluateCase({ actions: [{ type: 'file_write', path: 'tools/internal-tools/shared/session-token.ts' }], context: ctx }, POLICY);
    expect(high.decision).toBe('needs_approval');
    expect(high.assessment.tier).toBe('HIGH');
    expect(high.because[0]).toMatch(/High.*internal-tools/);
    const stop = evaluateCase({ actions: [{ type: 'file_read', path: 'src/README.md' }, { type: 'file_write', path: 'config/.env.production' }], context: ctx }, POLICY);
    expect(stop.decision).toBe('deny');
    // Each action on its own: the README read is Low and allowed, the env file write is Stop.
    expect(stop.actions.map((a) => [a.tier, a.decision])).toEqual([
      ['LOW', 'allow'],
      ['STOP', 'deny'],
    ]);
  });

  it('a small write outside every area is allowed (Low, in scope)', () => {
    const r = evaluateCase({ actions: [{ type: 'file_write', path: 'src/app/runs/[id]/page.tsx' }], context: ctx }, POLICY);
    expect(r.assessment.tier).toBe('LOW');
    expect(r.decision).toBe('allow');
  });

  it('paths with brackets or braces (Next.js dynamic routes) meet the areas that cover them', () => {
    const withRuns: Policy = { ...POLICY, registry: { ...POLICY.registry, sensitiveAreas: [...POLICY.registry.sensitiveAreas, area('runs', '**/runs/**', 'STOP')] } };
    expect(evaluateCase({ actions: [{ type: 'file_write', path: 'app/runs/[id]/page.tsx' }], context: ctx }, withRuns).decision).toBe('deny');
    const billing = evaluateCase({ actions: [{ type: 'file_write', path: 'src/billing/[...slug]/route.ts' }], context: ctx }, POLICY);
    expect([billing.assessment.tier, billing.decision]).toEqual(['HIGH', 'needs_approval']);
    expect(evaluateCase({ actions: [{ type: 'file_write', path: 'app/(app)/billing/{x}.ts' }], context: ctx }, POLICY).assessment.tier).toBe('HIGH');
  });

  it('judges commands, MCP tools and agent tools with the boundary', () => {
    expect(evaluateCase({ actions: [{ type: 'command', command: 'kubectl apply -f deploy/api.yaml' }], context: ctx }, POLICY).decision).toBe('deny');
    expect(evaluateCase({ actions: [{ type: 'mcp_tool', server: 'tickets', tool: 'comment' }], context: ctx }, POLICY).decision).toBe('needs_approval');
    expect(evaluateCase({ actions: [{ type: 'mcp_tool', server: 'tickets', tool: 'export' }], context: ctx }, POLICY).decision).toBe('deny');
    expect(evaluateCase({ actions: [{ type: 'mcp_tool', server: 'tickets', tool: 'unknown' }], context: ctx }, POLICY).decision).toBe('deny');
    expect(evaluateCase({ actions: [{ type: 'tool', name: 'WebFetch' }], context: ctx }, POLICY).decision).toBe('allow');
    expect(evaluateCase({ actions: [{ type: 'tool', name: 'WebFetch' }], context: { ...ctx, identity: 'bot' } }, POLICY).decision).toBe('needs_approval');
    expect(evaluateCase({ actions: [{ type: 'file_write', path: '../outside.txt' }], context: ctx }, POLICY).decision).toBe('deny');
  });

  it('a case that must need approval also holds when denied; one that must be denied does not hold on approval', () => {
    expect(caseHolds('NEEDS_APPROVAL', 'deny')).toBe(true);
    expect(caseHolds('NEEDS_APPROVAL', 'needs_approval')).toBe(true);
    expect(caseHolds('NEEDS_APPROVAL', 'allow')).toBe(false);
    expect(caseHolds('DENY', 'needs_approval')).toBe(false);
  });
});

const CONTRACTS: SimulatedContract[] = [
  { id: 'c1', ref: 'MDT-1', title: 'CSV import', status: 'IN_REVIEW', contract: { allowGlobs: ['tools/internal-tools/csv-import/**'], blockGlobs: [], allowedData: [], blockedItems: [], capabilityIds: [], localCommands: [] } },
  { id: 'c2', ref: 'MDT-2', title: 'Docs', status: 'READY', contract: { allowGlobs: ['docs/**'], blockGlobs: [], allowedData: [], blockedItems: [], capabilityIds: [], localCommands: [] } },
  { id: 'c3', ref: 'MDT-3', title: 'Ticket bot', status: 'APPROVED', contract: { allowGlobs: ['docs/a.md'], blockGlobs: [], allowedData: [], blockedItems: [], capabilityIds: ['cap-comment'], localCommands: [] } },
];
const CASES: SimulatedCase[] = [
  { id: 'k1', ref: 'PC-1', name: 'session helper', expected: 'NEEDS_APPROVAL', actions: [{ type: 'file_write', path: 'tools/internal-tools/shared/session-token.ts' }], context: ctx },
  { id: 'k2', ref: 'PC-2', name: 'comment', expected: 'NEEDS_APPROVAL', actions: [{ type: 'mcp_tool', server: 'tickets', tool: 'comment' }], context: ctx },
  { id: 'k3', ref: 'PC-3', name: 'web', expected: 'NEEDS_APPROVAL', actions: [{ type: 'tool', name: 'WebFetch' }], context: { ...ctx, identity: 'bot' } },
];

describe('simulate', () => {
  it('relaxing a sensitive area lists the contracts that change tier and the case that would now pass', () => {
    const proposed = applyChange(POLICY, { kind: 'sensitive-area', areaId: 'internal-tools', area: { name: 'internal-tools', category: 'internal-tools', pattern: '**/internal-tools/**', tier: 'HIGH', enabled: false } });
    const impact = simulate(POLICY, proposed, CONTRACTS, CASES);
    expect(impact.tierChanges).toMatchObject([{ ref: 'MDT-1', from: 'HIGH', to: 'MEDIUM' }]);
    expect(impact.tierChanges[0]!.removed.map((r) => r.rule)).toEqual(['sensitive-area']);
    expect(impact.verdictChanges).toMatchObject([{ ref: 'PC-1', from: 'needs_approval', to: 'allow', regression: true }]);
    expect(impact.regressions).toHaveLength(1);
    expect(POLICY.registry.sensitiveAreas[0]!.enabled).toBe(true);
  });

  it('narrowing the pattern is a relaxation too; lowering to Medium keeps the case (a person still approves)', () => {
    const narrowed = simulate(POLICY, applyChange(POLICY, { kind: 'sensitive-area', areaId: 'internal-tools', area: { name: 'i', category: 'internal-tools', pattern: 'tools/internal-tools/admin/**', tier: 'HIGH', enabled: true } }), CONTRACTS, CASES);
    expect(narrowed.regressions.map((r) => r.ref)).toEqual(['PC-1']);
    const medium = simulate(POLICY, applyChange(POLICY, { kind: 'sensitive-area', areaId: 'internal-tools', area: { name: 'i', category: 'internal-tools', pattern: '**/internal-tools/**', tier: 'MEDIUM', enabled: true } }), CONTRACTS, CASES);
    expect(medium.tierChanges.map((t) => [t.ref, t.to])).toEqual([['MDT-1', 'MEDIUM']]);
    expect(medium.verdictChanges).toEqual([]);
  });

  it('tightening is never a regression: a new Stop area raises tiers and case verdicts', () => {
    const proposed = applyChange(POLICY, { kind: 'sensitive-area', areaId: null, area: { name: 'session', category: 'auth', pattern: '**/session-token*', tier: 'STOP', enabled: true } });
    const impact = simulate(POLICY, proposed, CONTRACTS, CASES);
    expect(impact.verdictChanges).toMatchObject([{ ref: 'PC-1', from: 'needs_approval', to: 'deny', regression: false }]);
    expect(impact.regressions).toEqual([]);
  });

  it('capability policies: relaxing a write tool to default read still needs a person; blocking it denies', () => {
    const proposed = applyChange(POLICY, { kind: 'capability', capabilityId: 'cap-comment', capability: { access: 'WRITE', policy: 'DEFAULT_READ', dataClass: 'INTERNAL', businessCapability: 'comment' } });
    const impact = simulate(POLICY, proposed, CONTRACTS, CASES);
    // Still High as a contract (it can write), but the call itself no longer asks a person.
    expect(impact.tierChanges).toEqual([]);
    // …and the case holds anyway: a contract that can write is High, so a person approves it before any call.
    expect(impact.verdictChanges).toEqual([]);
    const blocked = simulate(POLICY, applyChange(POLICY, { kind: 'capability', capabilityId: 'cap-comment', capability: { access: 'WRITE', policy: 'BLOCKED', dataClass: 'INTERNAL', businessCapability: 'comment' } }), CONTRACTS, CASES);
    expect(blocked.tierChanges).toMatchObject([{ ref: 'MDT-3', from: 'HIGH', to: 'STOP' }]);
    expect(blocked.verdictChanges).toMatchObject([{ ref: 'PC-2', to: 'deny', regression: false }]);
  });

  it('a tool added to an identity profile makes the case for that identity pass', () => {
    const impact = simulate(POLICY, applyChange(POLICY, { kind: 'tool-profile', identity: 'bot', tools: ['Read', 'WebFetch'] }), CONTRACTS, CASES);
    expect(impact.tierChanges).toEqual([]);
    expect(impact.verdictChanges).toMatchObject([{ ref: 'PC-3', from: 'needs_approval', to: 'allow', regression: true }]);
  });

  it('a case that already fails is a regression only when the change lets even more through', () => {
    const failing: SimulatedCase = { ...CASES[0]!, id: 'k4', ref: 'PC-4', expected: 'DENY' };
    const tighter = simulate(POLICY, applyChange(POLICY, { kind: 'sensitive-area', areaId: 'internal-tools', area: { name: 'i', category: 'internal-tools', pattern: '**/internal-tools/**', tier: 'STOP', enabled: true } }), [], [failing]);
    expect(tighter.verdictChanges).toMatchObject([{ to: 'deny', regression: false }]);
    const looser = simulate(POLICY, applyChange(POLICY, { kind: 'sensitive-area', areaId: 'internal-tools', area: { name: 'i', category: 'internal-tools', pattern: '**/internal-tools/**', tier: 'LOW', enabled: true } }), [], [failing]);
    expect(looser.regressions).toMatchObject([{ ref: 'PC-4', from: 'needs_approval', to: 'allow' }]);
  });
});
