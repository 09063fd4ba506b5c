import { isLiteralPath, matchesGlob, overlap } from './globs';

export const TIERS = ['LOW', 'MEDIUM', 'HIGH', 'STOP'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_LABEL: Record<Tier, string> = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High', STOP: 'Stop' };

export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

export function maxTier(...tiers: Tier[]): Tier {
  return tiers.reduce<Tier>((a, b) => (tierRank(b) > tierRank(a) ? b : a), 'LOW');
}

/** Kinds of data a contract may allow the agent to see. */
export const DATA_ITEMS = {
  'synthetic-examples': { label: 'Synthetic examples', tier: null },
  'repo-content': { label: 'Repository content', tier: null },
  'internal-docs': { label: 'Internal documentation', tier: 'MEDIUM' },
  'customer-records': { label: 'Live customer records', tier: 'STOP' },
  'production-records': { label: 'Production records', tier: 'STOP' },
  secrets: { label: 'Secrets and credentials', tier: 'STOP' },
} as const satisfies Record<string, { label: string; tier: Tier | null }>;
export type DataItem = keyof typeof DATA_ITEMS;

/**
 * Standard items a contract can block. Blocking one also keeps its paths out of scope, which is
 * how a broad scope (`src/**`) stays clear of, say, the secrets areas.
 */
export const BLOCK_ITEMS = {
  'production-records': { label: 'Production records', paths: [] },
  secrets: { label: 'Secrets and credentials', paths: ['**/*.env*', '**/secrets/**'] },
  migrations: { label: 'Database migrations', paths: ['**/migrations/**'] },
  'deploy-config': { label: 'Deploy configuration', paths: ['deploy/**', '.github/workflows/**'] },
  'write-mcp-tools': { label: 'Write-capable MCP tools', paths: [] },
  'customer-pii': { label: 'Customer personal data', paths: [] },
} as const satisfies Record<string, { label: string; paths: readonly string[] }>;
export type BlockItem = keyof typeof BLOCK_ITEMS;

/** Local commands that reach a deploy path, change a schema, or touch live systems. */
export const COMMAND_RULES: readonly { pattern: RegExp; tier: Tier; what: string }[] = [
  { pattern: /\b(kubectl\s+(apply|delete|rollout|scale)|helm\s+(upgrade|install|rollback)|terraform\s+(apply|destroy)|fly\s+deploy|vercel\s+--prod|serverless\s+deploy)\b/, tier: 'STOP', what: 'deploy path' },
  { pattern: /\b(prisma\s+(migrate|db\s+push)|db:migrate|alembic\s+upgrade|flyway\s+migrate|knex\s+migrate|sequelize\s+db:migrate|liquibase\s+update)\b/, tier: 'STOP', what: 'schema change' },
  { pattern: /\b(psql|mysql|mongosh|mongo|redis-cli|sqlcmd)\b/, tier: 'HIGH', what: 'database client (production-like script)' },
  { pattern: /\b(aws|gcloud|az)\s+\S+/, tier: 'HIGH', what: 'cloud control-plane CLI' },
];

/** Paths that on their own make a change Low: documentation. */
const DOC_GLOBS = ['**/*.md', '**/*.mdx', '**/*.rst', '**/*.txt', 'docs/**', '**/docs/**'];
const MAX_LOW_FILES = 3;

export type SensitiveAreaRule = { id: string; name: string; category: string; pattern: string; tier: Tier; enabled: boolean };

export type CapabilityRule = {
  id: string;
  serverName: string;
  toolName: string;
  businessCapability: string | null;
  dataClass: 'PUBLIC' | 'INTERNAL' | 'CONFIDENTIAL' | 'CUSTOMER' | 'REGULATED';
  access: 'READ' | 'WRITE';
  policy: 'DEFAULT_READ' | 'NEEDS_APPROVAL' | 'SYNTHETIC_ONLY' | 'BLOCKED';
  serverKilled: boolean;
};

export type ContractForRisk = {
  allowGlobs: readonly string[];
  blockGlobs: readonly string[];
  allowedData: readonly string[];
  blockedItems: readonly string[];
  capabilityIds: readonly string[];
  localCommands: readonly string[];
  tierRaisedTo?: Tier | null;
  tierRaiseReason?: string | null;
};

export type Registry = { sensitiveAreas: readonly SensitiveAreaRule[]; capabilities: readonly CapabilityRule[] };

export type RiskReason = {
  /** baseline | sensitive-area | data | capability | command | requester-raise */
  rule: string;
  tier: Tier;
  /** What matched, e.g. `billing/export/** ~ **\/billing/**` */
  matched: string;
  message: string;
};

export type RiskAssessment = { computedTier: Tier; tier: Tier; reasons: RiskReason[] };

/** Every path glob the contract keeps out of scope: its own blocks and those of its standard block items. */
export function effectiveBlocks(contract: Pick<ContractForRisk, 'blockGlobs' | 'blockedItems'>): string[] {
  const fromItems = contract.blockedItems.flatMap((item) => (item in BLOCK_ITEMS ? BLOCK_ITEMS[item as BlockItem].paths : []));
  return [...contract.blockGlobs, ...fromItems];
}

function isDocumentationPath(path: string): boolean {
  return DOC_GLOBS.some((doc) => matchesGlob(doc, path));
}

function isDocumentation(glob: string): boolean {
  return isDocumentationPath(glob.replace(/\*\*/g, 'x').replace(/[*?]/g, 'x'));
}

function baseline(contract: ContractForRisk): RiskReason {
  const realData = contract.allowedData.filter((d) => d !== 'synthetic-examples' && d !== 'repo-content');
  const quiet = contract.capabilityIds.length === 0 && realData.length === 0;
  if (contract.allowGlobs.length === 0) {
    return { rule: 'baseline', tier: quiet ? 'LOW' : 'MEDIUM', matched: '(no file scope)', message: 'No file scope yet' };
  }
  const scope = contract.allowGlobs.join(', ');
  if (quiet && contract.allowGlobs.every(isDocumentation)) {
    return { rule: 'baseline', tier: 'LOW', matched: scope, message: 'Documentation only, no sensitive tools or data → Low' };
  }
  if (quiet && contract.allowGlobs.length <= MAX_LOW_FILES && contract.allowGlobs.every(isLiteralPath)) {
    return { rule: 'baseline', tier: 'LOW', matched: scope, message: `A small local change to ${contract.allowGlobs.length} named file(s), no sensitive tools or data → Low` };
  }
  return { rule: 'baseline', tier: 'MEDIUM', matched: scope, message: 'A scoped repository change → Medium' };
}

function sensitiveAreaReasons(contract: ContractForRisk, areas: readonly SensitiveAreaRule[]): RiskReason[] {
  const blocks = effectiveBlocks(contract);
  const blocked = (path: string) => blocks.some((b) => matchesGlob(b, path));
  // Documentation about billing is not billing code; a secret is a secret wherever it sits.
  const skipFor = (area: SensitiveAreaRule) => (path: string) =>
    blocked(path) || (area.category !== 'secrets' && isDocumentationPath(path));
  const reasons: RiskReason[] = [];
  for (const area of areas) {
    if (!area.enabled) continue;
    for (const glob of contract.allowGlobs) {
      const path = overlap(glob, area.pattern, skipFor(area));
      if (!path) continue;
      reasons.push({
        rule: 'sensitive-area',
        tier: area.tier,
        matched: `${glob} ~ ${area.pattern}`,
        message: `\`${glob}\` matches sensitive area ${area.name} (\`${area.pattern}\`, e.g. ${path}) → ${TIER_LABEL[area.tier]}`,
      });
      break;
    }
  }
  return reasons;
}

function dataReasons(contract: ContractForRisk): RiskReason[] {
  return contract.allowedData.flatMap((item): RiskReason[] => {
    const rule = (DATA_ITEMS as Record<string, { label: string; tier: Tier | null }>)[item];
    if (!rule?.tier) return [];
    return [{ rule: 'data', tier: rule.tier, matched: item, message: `Allows ${rule.label.toLowerCase()} → ${TIER_LABEL[rule.tier]}` }];
  });
}

function capabilityReasons(contract: ContractForRisk, capabilities: readonly CapabilityRule[]): RiskReason[] {
  const byId = new Map(capabilities.map((c) => [c.id, c]));
  const syntheticOnly = contract.allowedData.every((d) => d === 'synthetic-examples' || d === 'repo-content');
  return contract.capabilityIds.flatMap((id): RiskReason[] => {
    const cap = byId.get(id);
    if (!cap) return [{ rule: 'capability', tier: 'STOP', matched: id, message: 'Requests an MCP capability that is not in the registry → Stop' }];
    const name = `${cap.serverName}/${cap.toolName}`;
    const what = cap.businessCapability ?? 'an undescribed capability';
    if (cap.serverKilled) return [{ rule: 'capability', tier: 'STOP', matched: name, message: `${name} is on a server whose kill switch is on → Stop` }];
    switch (cap.policy) {
      case 'BLOCKED':
        return [{ rule: 'capability', tier: 'STOP', matched: name, message: `${name} (${what}) is blocked by policy → Stop` }];
      case 'NEEDS_APPROVAL':
        return [{ rule: 'capability', tier: 'HIGH', matched: name, message: `${name} (${what}) needs approval by policy → High` }];
      case 'SYNTHETIC_ONLY':
        return syntheticOnly
          ? [{ rule: 'capability', tier: 'MEDIUM', matched: name, message: `${name} (${what}) is allowed on synthetic data, which is all this contract uses → Medium` }]
          : [{ rule: 'capability', tier: 'STOP', matched: name, message: `${name} (${what}) is for synthetic data only, but the contract allows real data → Stop` }];
      case 'DEFAULT_READ': {
        const business = cap.access === 'WRITE' || ['CONFIDENTIAL', 'CUSTOMER', 'REGULATED'].includes(cap.dataClass);
        const tier: Tier = business ? 'HIGH' : 'MEDIUM';
        const why = cap.access === 'WRITE' ? 'can write' : `reads ${cap.dataClass.toLowerCase()} data`;
        return [{ rule: 'capability', tier, matched: name, message: `${name} (${what}) ${why} → ${TIER_LABEL[tier]}` }];
      }
    }
  });
}

function commandReasons(contract: ContractForRisk): RiskReason[] {
  return contract.localCommands.flatMap((command) => {
    const hit = COMMAND_RULES.find((r) => r.pattern.test(command));
    return hit ? [{ rule: 'command', tier: hit.tier, matched: command, message: `\`${command}\` is a ${hit.what} → ${TIER_LABEL[hit.tier]}` }] : [];
  });
}

/**
 * The risk tier of a contract and every reason for it. Pure: the same contract and registry give
 * the same answer in the browser preview and on the server. Adding scope, data, capabilities or
 * commands can only add reasons, so it never lowers the tier.
 */
export function classify(contract: ContractForRisk, registry: Registry): RiskAssessment {
  const reasons = [
    baseline(contract),
    ...sensitiveAreaReasons(contract, registry.sensitiveAreas),
    ...dataReasons(contract),
    ...capabilityReasons(contract, registry.capabilities),
    ...commandReasons(contract),
  ];
  const computedTier = maxTier(...reasons.map((r) => r.tier));
  let tier = computedTier;
  const raise = contract.tierRaisedTo;
  if (raise && tierRank(raise) > tierRank(computedTier)) {
    tier = raise;
    reasons.push({
      rule: 'requester-raise',
      tier: raise,
      matched: TIER_LABEL[raise],
      message: `Raised by the requester from ${TIER_LABEL[computedTier]} to ${TIER_LABEL[raise]}: ${contract.tierRaiseReason ?? 'no reason given'}`,
    });
  }
  reasons.sort((a, b) => tierRank(b.tier) - tierRank(a.tier));
  return { computedTier, tier, reasons };
}
