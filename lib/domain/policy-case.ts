import { describeAction, evaluateAction, normalisePath, type Boundary, type Decision, type IntendedAction, type Verdict } from './boundary';
import { classify, TIER_LABEL, type CapabilityRule, type ContractForRisk, type Registry, type RiskAssessment, type RiskReason, type SensitiveAreaRule, type Tier } from './risk';

/**
 * Policy regression cases: "this sequence of actions must be denied / needs approval". A case tests
 * the organisation's policy (sensitive areas, MCP capability policies, the agent's tool profile),
 * not one contract's scope: it asks what it would take for an agent to do these actions today.
 * The answer comes from the same two functions everything else uses: the classifier gives the tier
 * of the smallest contract that covers the actions (Stop: denied without a security exception;
 * Medium or High: a person must approve), and the boundary judges each action under that contract.
 */

export const EXPECTED_VERDICTS = ['DENY', 'NEEDS_APPROVAL'] as const;
export type ExpectedVerdict = (typeof EXPECTED_VERDICTS)[number];

/** What the actions run under: the agent identity (by name, for its tool profile) and the data the agent may see. */
export type CaseContext = { identity: string | null; allowedData: readonly string[] };

/** Everything a verdict depends on. Sensitive areas carry `enabled`; disabled ones do not count. */
export type Policy = { registry: Registry; toolProfiles: Readonly<Record<string, readonly string[]>> };

export type PolicyCaseInputs = { actions: readonly IntendedAction[]; context: CaseContext };

export type CaseEvaluation = {
  decision: Decision;
  /** The tier of the smallest contract that covers the actions, and why. */
  assessment: RiskAssessment;
  /**
   * Each action on its own: the tier of a contract covering just it (and what that tier means) and
   * the boundary's verdict under the whole case's contract; `decision` is the stricter of the two.
   */
  actions: { action: IntendedAction; verdict: Verdict; tier: Tier; decision: Decision }[];
  /** The reasons behind `decision`, worst first, in words. */
  because: string[];
};

const RANK: Record<Decision, number> = { allow: 0, needs_approval: 1, deny: 2 };
export const DECISION_LABEL: Record<Decision, string> = { allow: 'Allowed', needs_approval: 'Needs approval', deny: 'Denied' };
export const EXPECTED_LABEL: Record<ExpectedVerdict, string> = { DENY: 'Must be denied', NEEDS_APPROVAL: 'Must need approval' };

function stricter(a: Decision, b: Decision): Decision {
  return RANK[b] > RANK[a] ? b : a;
}

export function decisionOf(expected: ExpectedVerdict): Decision {
  return expected === 'DENY' ? 'deny' : 'needs_approval';
}

/** Does the policy hold the line? A case that must need approval also holds when the actions are denied. */
export function caseHolds(expected: ExpectedVerdict, actual: Decision): boolean {
  return RANK[actual] >= RANK[decisionOf(expected)];
}

/** What a contract's tier means for an agent that wants to act: Low runs at once, Stop waits for an exception. */
export function tierGate(tier: Tier): Decision {
  return tier === 'STOP' ? 'deny' : tier === 'LOW' ? 'allow' : 'needs_approval';
}

/** A repository path as a glob that matches exactly that path (`app/runs/[id]/page.tsx` stays literal). */
function literalGlob(path: string): string {
  return path.replace(/[*?[\]{}()!+@]/g, (c) => `\\${c}`);
}

function capabilityFor(registry: Registry, server: string, tool: string): CapabilityRule | undefined {
  return registry.capabilities.find((c) => c.serverName === server && c.toolName === tool);
}

/** The smallest contract that covers the actions, and its boundary under `policy`. */
export function coveringContract({ actions, context }: PolicyCaseInputs, policy: Policy): { contract: ContractForRisk; boundary: Boundary } {
  const paths = new Set<string>();
  const commands = new Set<string>();
  const capabilityIds = new Set<string>();
  const data = new Set(context.allowedData);
  const granted: Boundary['capabilities'][number][] = [];
  for (const action of actions) {
    if (action.type === 'file_read' || action.type === 'file_write') {
      const path = normalisePath(action.path);
      // A path outside the repository stays out: the boundary denies it whatever the scope says.
      if (path) paths.add(literalGlob(path));
    } else if (action.type === 'command') commands.add(action.command);
    else if (action.type === 'data_source') data.add(action.source);
    else if (action.type === 'mcp_tool') {
      const cap = capabilityFor(policy.registry, action.server, action.tool);
      // An unknown tool is named by what it is called: the classifier makes it Stop, the boundary denies it.
      capabilityIds.add(cap?.id ?? `${action.server}/${action.tool}`);
      if (cap && !granted.some((g) => g.server === cap.serverName && g.toolName === cap.toolName)) granted.push({ ...cap, server: cap.serverName });
    }
  }
  const contract: ContractForRisk = {
    allowGlobs: [...paths],
    blockGlobs: [],
    allowedData: [...data],
    blockedItems: [],
    capabilityIds: [...capabilityIds],
    localCommands: [...commands],
  };
  const boundary: Boundary = {
    allowGlobs: contract.allowGlobs,
    blockGlobs: [],
    blockedItems: [],
    allowedData: contract.allowedData,
    localCommands: contract.localCommands,
    checks: [],
    capabilities: granted,
    toolProfile: { tools: context.identity ? (policy.toolProfiles[context.identity] ?? []) : [] },
    budget: { maxCostCents: 0, maxToolCalls: 0, maxWallMinutes: 0 },
  };
  return { contract, boundary };
}

/** The verdict the current (or a proposed) policy gives a case, with every reason. */
export function evaluateCase(inputs: PolicyCaseInputs, policy: Policy): CaseEvaluation {
  const { contract, boundary } = coveringContract(inputs, policy);
  const assessment = classify(contract, policy.registry);
  const actions = inputs.actions.map((action) => {
    const verdict = evaluateAction(boundary, action);
    const alone = classify(coveringContract({ actions: [action], context: inputs.context }, policy).contract, policy.registry).tier;
    return { action, verdict, tier: alone, decision: stricter(tierGate(alone), verdict.decision) };
  });
  const gate = tierGate(assessment.tier);
  const decision = actions.reduce<Decision>((worst, a) => stricter(worst, a.verdict.decision), gate);
  const because: string[] = [];
  if (decision !== 'allow' && gate === decision) {
    const top = assessment.reasons.filter((r) => r.tier === assessment.tier).map((r) => r.message);
    because.push(`A contract covering these actions is ${TIER_LABEL[assessment.tier]}${gate === 'deny' ? ' (no agent acts without a security exception)' : ' (a person must approve it)'}: ${top.join('; ')}`);
  }
  for (const a of actions) {
    if (a.verdict.decision !== decision || decision === 'allow') continue;
    const worst = a.verdict.reasons.filter((r) => r.decision === decision).map((r) => r.message);
    because.push(`${describeAction(a.action)}: ${worst.join('; ')}`);
  }
  if (decision === 'allow') because.push(`A contract covering these actions is Low and the boundary allows every action: ${assessment.reasons.map((r) => r.message).join('; ')}`);
  return { decision, assessment, actions, because };
}

// ───────────── Simulation: the impact of a policy change before it is saved ─────────────

export type AreaDraft = Pick<SensitiveAreaRule, 'name' | 'category' | 'pattern' | 'tier' | 'enabled'>;
export type CapabilityDraft = Pick<CapabilityRule, 'access' | 'policy' | 'dataClass' | 'businessCapability'>;

export type PolicyChange =
  | { kind: 'sensitive-area'; areaId: string | null; area: AreaDraft }
  | { kind: 'capability'; capabilityId: string; capability: CapabilityDraft }
  | { kind: 'tool-profile'; identity: string; tools: readonly string[] };

/** The policy as it would be after `change`. Pure: `policy` is not touched. */
export function applyChange(policy: Policy, change: PolicyChange): Policy {
  switch (change.kind) {
    case 'sensitive-area': {
      const areas = change.areaId
        ? policy.registry.sensitiveAreas.map((a) => (a.id === change.areaId ? { ...a, ...change.area } : a))
        : [...policy.registry.sensitiveAreas, { id: 'proposed', ...change.area }];
      return { ...policy, registry: { ...policy.registry, sensitiveAreas: areas } };
    }
    case 'capability':
      return {
        ...policy,
        registry: { ...policy.registry, capabilities: policy.registry.capabilities.map((c) => (c.id === change.capabilityId ? { ...c, ...change.capability } : c)) },
      };
    case 'tool-profile':
      return { ...policy, toolProfiles: { ...policy.toolProfiles, [change.identity]: [...change.tools] } };
  }
}

export type SimulatedContract = { id: string; ref: string; title: string; status: string; contract: ContractForRisk };
export type SimulatedCase = PolicyCaseInputs & { id: string; ref: string; name: string; expected: ExpectedVerdict };

export type TierChange = { id: string; ref: string; title: string; status: string; from: Tier; to: Tier; added: RiskReason[]; removed: RiskReason[] };
export type VerdictChange = {
  id: string;
  ref: string;
  name: string;
  expected: ExpectedVerdict;
  from: Decision;
  to: Decision;
  /** The case held the line before, or was already failing, and now lets more through than it must. */
  regression: boolean;
  because: string[];
};
export type Impact = { tierChanges: TierChange[]; verdictChanges: VerdictChange[]; regressions: VerdictChange[]; contractsChecked: number; casesChecked: number };

/** Which contracts would change tier and which cases would change verdict if `proposed` replaced `current`. */
export function simulate(current: Policy, proposed: Policy, contracts: readonly SimulatedContract[], cases: readonly SimulatedCase[]): Impact {
  const tierChanges: TierChange[] = [];
  for (const c of contracts) {
    const before = classify(c.contract, current.registry);
    const after = classify(c.contract, proposed.registry);
    if (before.tier === after.tier) continue;
    const messages = (r: RiskAssessment) => new Set(r.reasons.map((x) => x.message));
    const was = messages(before);
    const now = messages(after);
    tierChanges.push({
      id: c.id,
      ref: c.ref,
      title: c.title,
      status: c.status,
      from: before.tier,
      to: after.tier,
      added: after.reasons.filter((r) => !was.has(r.message)),
      removed: before.reasons.filter((r) => !now.has(r.message)),
    });
  }
  const verdictChanges: VerdictChange[] = [];
  for (const c of cases) {
    const before = evaluateCase(c, current);
    const after = evaluateCase(c, proposed);
    if (before.decision === after.decision) continue;
    verdictChanges.push({
      id: c.id,
      ref: c.ref,
      name: c.name,
      expected: c.expected,
      from: before.decision,
      to: after.decision,
      regression: RANK[after.decision] < RANK[before.decision] && !caseHolds(c.expected, after.decision),
      because: after.because,
    });
  }
  return { tierChanges, verdictChanges, regressions: verdictChanges.filter((v) => v.regression), contractsChecked: contracts.length, casesChecked: cases.length };
}
