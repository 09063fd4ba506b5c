import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classify, tierRank, type CapabilityRule, type ContractForRisk, type Registry, type SensitiveAreaRule } from './risk';

const area = (name: string, category: string, pattern: string, tier: SensitiveAreaRule['tier'], enabled = true): SensitiveAreaRule => ({
  id: `area-${name}`,
  name,
  category,
  pattern,
  tier,
  enabled,
});

const AREAS: SensitiveAreaRule[] = [
  area('auth', 'auth', '**/auth/**', 'HIGH'),
  area('billing', 'billing', '**/billing/**', 'HIGH'),
  area('migrations', 'migrations', '**/migrations/**', 'STOP'),
  area('CI workflows', 'deployment', '.github/workflows/**', 'HIGH'),
  area('deploy path', 'deployment', 'deploy/**', 'STOP'),
  area('env files', 'secrets', '**/*.env*', 'STOP'),
  area('secrets', 'secrets', '**/secrets/**', 'STOP'),
  area('legacy payments', 'payments', '**/legacy-payments/**', 'HIGH', false),
];

const cap = (id: string, over: Partial<CapabilityRule>): CapabilityRule => ({
  id,
  serverName: 'tickets',
  toolName: id,
  businessCapability: `capability ${id}`,
  dataClass: 'INTERNAL',
  access: 'READ',
  policy: 'DEFAULT_READ',
  serverKilled: false,
  ...over,
});

const CAPS: CapabilityRule[] = [
  cap('search_docs', { serverName: 'docs', dataClass: 'INTERNAL' }),
  cap('read_ticket', { dataClass: 'CUSTOMER', businessCapability: 'customer escalation detail' }),
  cap('comment', { access: 'WRITE', policy: 'NEEDS_APPROVAL' }),
  cap('query_replica', { serverName: 'replica', dataClass: 'REGULATED', policy: 'SYNTHETIC_ONLY' }),
  cap('drop_table', { serverName: 'replica', access: 'WRITE', policy: 'BLOCKED' }),
  cap('killed_read', { serverName: 'old', serverKilled: true }),
];

const REGISTRY: Registry = { sensitiveAreas: AREAS, capabilities: CAPS };

const contract = (over: Partial<ContractForRisk> = {}): ContractForRisk => ({
  allowGlobs: ['src/widgets/**'],
  blockGlobs: [],
  allowedData: ['repo-content'],
  blockedItems: ['secrets'],
  capabilityIds: [],
  localCommands: ['npm test'],
  ...over,
});

describe('risk classification', () => {
  it('rates a documentation typo Low', () => {
    const r = classify(contract({ allowGlobs: ['docs/refund-policy.md'] }), REGISTRY);
    expect(r.tier).toBe('LOW');
    expect(r.reasons[0]).toMatchObject({ rule: 'baseline', tier: 'LOW' });
  });

  it('rates a small change to a few named files Low', () => {
    expect(classify(contract({ allowGlobs: ['src/widgets/button.tsx', 'src/widgets/button.test.tsx'] }), REGISTRY).tier).toBe('LOW');
  });

  it('rates a scoped code change Medium', () => {
    const r = classify(contract(), REGISTRY);
    expect(r.tier).toBe('MEDIUM');
    expect(r.reasons).toEqual([expect.objectContaining({ rule: 'baseline', message: 'A scoped repository change → Medium' })]);
  });

  it('rates work in billing High and names the area and the pattern', () => {
    const r = classify(contract({ allowGlobs: ['billing/export/**'] }), REGISTRY);
    expect(r.tier).toBe('HIGH');
    expect(r.reasons[0]).toMatchObject({ rule: 'sensitive-area', tier: 'HIGH', matched: 'billing/export/** ~ **/billing/**' });
    expect(r.reasons[0]!.message).toContain('`billing/export/**` matches sensitive area billing');
  });

  it('treats a whole-repository scope as reaching every sensitive area', () => {
    const r = classify(contract({ allowGlobs: ['**'], blockedItems: [] }), REGISTRY);
    expect(r.tier).toBe('STOP');
    expect(r.reasons.map((x) => x.matched)).toEqual(expect.arrayContaining(['** ~ **/auth/**', '** ~ **/billing/**', '** ~ deploy/**']));
  });

  it('lets explicit blocks keep a broad scope clear of an area', () => {
    const blocked = classify(
      contract({ allowGlobs: ['**'], blockGlobs: ['**/auth/**', '**/billing/**', '.github/**'], blockedItems: ['secrets', 'migrations', 'deploy-config'] }),
      REGISTRY,
    );
    expect(blocked.tier).toBe('MEDIUM');
  });

  it('rates a scope that names an env file or a secrets folder Stop', () => {
    expect(classify(contract({ allowGlobs: ['config/.env.production'], blockedItems: [] }), REGISTRY).tier).toBe('STOP');
    expect(classify(contract({ allowGlobs: ['ops/secrets/**'], blockedItems: [] }), REGISTRY).tier).toBe('STOP');
  });

  it('rates a scope that reaches an anchored area from above', () => {
    expect(classify(contract({ allowGlobs: ['.github/**'] }), REGISTRY).tier).toBe('HIGH');
    expect(classify(contract({ allowGlobs: ['src/**'] }), REGISTRY).tier).toBe('MEDIUM');
  });

  it('rates schema changes and the deploy path Stop', () => {
    expect(classify(contract({ allowGlobs: ['services/api/migrations/**'] }), REGISTRY).tier).toBe('STOP');
    expect(classify(contract({ allowGlobs: ['deploy/k8s/api.yaml'] }), REGISTRY).tier).toBe('STOP');
  });

  it('rates CI workflow changes High', () => {
    expect(classify(contract({ allowGlobs: ['.github/workflows/ci.yml'] }), REGISTRY).tier).toBe('HIGH');
  });

  it('ignores disabled sensitive areas', () => {
    expect(classify(contract({ allowGlobs: ['src/legacy-payments/**'] }), REGISTRY).tier).toBe('MEDIUM');
  });

  it('does not treat documentation about an area as work in it, except for secrets', () => {
    expect(classify(contract({ allowGlobs: ['docs/billing/refunds.md'] }), REGISTRY).tier).toBe('LOW');
    expect(classify(contract({ allowGlobs: ['docs/secrets/rotation.md'], blockedItems: [] }), REGISTRY).tier).toBe('STOP');
  });

  it('rates access to secrets, live customer data and production records Stop', () => {
    for (const data of ['secrets', 'customer-records', 'production-records']) {
      const r = classify(contract({ allowedData: ['repo-content', data] }), REGISTRY);
      expect(r.tier).toBe('STOP');
      expect(r.reasons[0]).toMatchObject({ rule: 'data', matched: data });
    }
  });

  it('rates internal documentation as data Medium', () => {
    expect(classify(contract({ allowGlobs: ['docs/a.md'], allowedData: ['internal-docs'] }), REGISTRY).tier).toBe('MEDIUM');
  });

  it('applies each MCP capability policy', () => {
    const tierWith = (id: string, data: string[] = ['synthetic-examples']) =>
      classify(contract({ allowGlobs: ['docs/a.md'], capabilityIds: [id], allowedData: data }), REGISTRY).tier;
    expect(tierWith('search_docs')).toBe('MEDIUM');
    expect(tierWith('read_ticket')).toBe('HIGH'); // real business access: customer data
    expect(tierWith('comment')).toBe('HIGH'); // needs approval
    expect(tierWith('query_replica')).toBe('MEDIUM'); // synthetic only, and the contract is synthetic
    expect(tierWith('query_replica', ['synthetic-examples', 'internal-docs'])).toBe('STOP');
    expect(tierWith('drop_table')).toBe('STOP');
    expect(tierWith('killed_read')).toBe('STOP');
    expect(tierWith('not-registered')).toBe('STOP');
  });

  it('rates deploy and migration commands Stop and database clients High', () => {
    expect(classify(contract({ localCommands: ['kubectl apply -f deploy/'] }), REGISTRY).tier).toBe('STOP');
    expect(classify(contract({ localCommands: ['npx prisma migrate deploy'] }), REGISTRY).tier).toBe('STOP');
    expect(classify(contract({ localCommands: ['psql $REPLICA_URL -c "select 1"'] }), REGISTRY).tier).toBe('HIGH');
  });

  it('lets the requester raise the tier with a reason, never lower it', () => {
    const raised = classify(contract({ tierRaisedTo: 'HIGH', tierRaiseReason: 'touches the month-end close' }), REGISTRY);
    expect(raised).toMatchObject({ computedTier: 'MEDIUM', tier: 'HIGH' });
    expect(raised.reasons[0]!.message).toContain('touches the month-end close');
    const lowered = classify(contract({ allowGlobs: ['billing/**'], tierRaisedTo: 'LOW' }), REGISTRY);
    expect(lowered.tier).toBe('HIGH');
    expect(lowered.reasons.some((r) => r.rule === 'requester-raise')).toBe(false);
  });

  it('puts the reasons that decide the tier first', () => {
    const r = classify(contract({ allowGlobs: ['billing/**'], allowedData: ['secrets'] }), REGISTRY);
    expect(r.reasons.map((x) => x.tier)).toEqual([...r.reasons.map((x) => x.tier)].sort((a, b) => tierRank(b) - tierRank(a)));
    expect(r.reasons[0]!.tier).toBe(r.tier);
  });
});

describe('risk classification, property', () => {
  const segment = fc.constantFrom('src', 'billing', 'auth', 'docs', 'deploy', 'api', 'migrations', 'secrets', 'web', 'lib');
  const leaf = fc.constantFrom('**', '*.ts', 'index.ts', 'README.md', '.env', '*.md', 'config.yaml');
  const glob = fc.tuple(fc.array(segment, { maxLength: 3 }), leaf).map(([dirs, last]) => [...dirs, last].join('/'));
  const data = fc.subarray(['synthetic-examples', 'repo-content', 'internal-docs', 'customer-records', 'production-records', 'secrets']);
  const caps = fc.subarray(CAPS.map((c) => c.id));
  const commands = fc.subarray(['npm test', 'npm run lint', 'psql -c "select 1"', 'kubectl apply -f x', 'aws s3 ls']);
  const blocks = fc.subarray(['secrets', 'migrations', 'deploy-config']);
  const contractArb = fc.record({
    allowGlobs: fc.array(glob, { maxLength: 3 }),
    blockGlobs: fc.array(glob, { maxLength: 2 }),
    allowedData: data,
    blockedItems: blocks,
    capabilityIds: caps,
    localCommands: commands,
  });

  it('never lowers the tier when scope, data, capabilities or commands are added', () => {
    fc.assert(
      fc.property(contractArb, contractArb, (base, extra) => {
        const before = classify(base, REGISTRY);
        const widened = classify(
          {
            ...base,
            allowGlobs: [...base.allowGlobs, ...extra.allowGlobs],
            allowedData: [...base.allowedData, ...extra.allowedData],
            capabilityIds: [...base.capabilityIds, ...extra.capabilityIds],
            localCommands: [...base.localCommands, ...extra.localCommands],
          },
          REGISTRY,
        );
        return tierRank(widened.tier) >= tierRank(before.tier);
      }),
      { numRuns: 500 },
    );
  });

  it('always explains the tier with at least one reason at that tier', () => {
    fc.assert(
      fc.property(contractArb, (c) => {
        const r = classify(c, REGISTRY);
        return r.reasons.some((reason) => reason.tier === r.tier);
      }),
      { numRuns: 300 },
    );
  });
});
