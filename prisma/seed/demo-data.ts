// The demo organisation: Northwind Ledger, a mid-size fintech piloting AI agents in engineering.
// Plain data; prisma/seed/demo-org.ts turns it into records, computing every tier with the same
// classifier the app uses.
import type { AgentKind, CapabilityAccess, CapabilityPolicy, ContractStatus, DataClass, McpTransport, RiskTier, Role } from '@/lib/generated/prisma/enums';

export const TEAMS = [
  { slug: 'payments', name: 'Payments Platform', description: 'Ledger, payouts, billing exports and the payments API.' },
  { slug: 'cx', name: 'Customer Experience', description: 'The customer web app, support tooling and notifications.' },
  { slug: 'devprod', name: 'Developer Productivity', description: 'CI, shared packages, internal tools and the docs site.' },
] as const;
export type TeamSlug = (typeof TEAMS)[number]['slug'];

export const PEOPLE = [
  { key: 'priya', email: 'priya.raman@northwind.example', name: 'Priya Raman', title: 'Senior Software Engineer', team: 'payments', roles: ['REQUESTER'] },
  { key: 'marcus', email: 'marcus.chen@northwind.example', name: 'Marcus Chen', title: 'Staff Engineer, Payments', team: 'payments', roles: ['REQUESTER', 'APPROVER'] },
  { key: 'elena', email: 'elena.garcia@northwind.example', name: 'Elena García', title: 'Engineering Manager, Customer Experience', team: 'cx', roles: ['APPROVER'] },
  { key: 'tomas', email: 'tomas.silva@northwind.example', name: 'Tomás Silva', title: 'Software Engineer', team: 'cx', roles: ['REQUESTER'] },
  { key: 'lena', email: 'lena.novak@northwind.example', name: 'Lena Novak', title: 'Senior Engineer, Developer Productivity', team: 'devprod', roles: ['REQUESTER'] },
  { key: 'sam', email: 'sam.okafor@northwind.example', name: 'Sam Okafor', title: 'Security Engineer', team: null, roles: ['SECURITY'] },
  { key: 'dana', email: 'dana.kim@northwind.example', name: 'Dana Kim', title: 'Principal Engineer, Security & Risk', team: null, roles: ['SECURITY', 'APPROVER'] },
  { key: 'james', email: 'james.whitfield@northwind.example', name: 'James Whitfield', title: 'VP Engineering', team: null, roles: ['LEADER'] },
  { key: 'alex', email: 'alex.morgan@northwind.example', name: 'Alex Morgan', title: 'IT & Platform Administrator', team: 'devprod', roles: ['ADMIN'] },
] as const satisfies readonly { key: string; email: string; name: string; title: string; team: TeamSlug | null; roles: readonly Role[] }[];
export type PersonKey = (typeof PEOPLE)[number]['key'];

export const IDENTITIES = [
  {
    key: 'claude',
    name: 'claude-code-northwind',
    kind: 'LOCAL_CODING_AGENT',
    owner: 'marcus',
    team: 'payments',
    description: "Claude Code on engineers' laptops, with the Mandate hook installed.",
    toolProfile: { tools: ['Read', 'Edit', 'Write', 'Grep', 'Glob', 'Bash'], commands: ['npm test', 'npm run lint', 'npm run typecheck', 'git diff', 'git status'] },
  },
  {
    key: 'cibot',
    name: 'ci-fixer-bot',
    kind: 'CI_AGENT',
    owner: 'lena',
    team: 'devprod',
    description: 'Runs in CI on failing pipelines and proposes fixes as pull requests.',
    toolProfile: { tools: ['Read', 'Edit', 'Bash'], commands: ['npm ci', 'npm test', 'npm run lint'] },
  },
] as const satisfies readonly { key: string; name: string; kind: AgentKind; owner: PersonKey; team: TeamSlug; description: string; toolProfile: { tools: readonly string[]; commands: readonly string[] } }[];
export type IdentityKey = (typeof IDENTITIES)[number]['key'];

type CapabilitySpec = {
  tool: string;
  description: string;
  business: string | null;
  dataClass: DataClass;
  access: CapabilityAccess;
  policy: CapabilityPolicy;
};

/** Where the demo's fixture MCP server listens (`npm run dev` starts it; the test runner sets its own). */
export const DEMO_MCP_URL = process.env.MANDATE_DEMO_MCP_URL || 'http://127.0.0.1:3100/mcp';

export const SERVERS: readonly {
  slug: string;
  name: string;
  description: string;
  transport: McpTransport;
  endpoint: string;
  owner: PersonKey;
  team: TeamSlug;
  hasLogging: boolean;
  hasOwnerReview: boolean;
  hasKillSwitch: boolean;
  capabilities: readonly CapabilitySpec[];
}[] = [
  {
    slug: 'linear-tickets',
    name: 'Linear tickets',
    description: 'Engineering and support tickets, including customer escalations.',
    transport: 'STREAMABLE_HTTP',
    endpoint: 'https://mcp.northwind.internal/linear',
    owner: 'elena',
    team: 'cx',
    hasLogging: true,
    hasOwnerReview: true,
    hasKillSwitch: true,
    capabilities: [
      { tool: 'search_issues', description: 'Search issues by text, label or team.', business: 'find engineering tickets', dataClass: 'INTERNAL', access: 'READ', policy: 'DEFAULT_READ' },
      { tool: 'get_issue', description: 'Fetch one issue with comments and attachments.', business: 'read customer escalation detail', dataClass: 'CUSTOMER', access: 'READ', policy: 'NEEDS_APPROVAL' },
      { tool: 'create_comment', description: 'Add a comment to an issue.', business: 'post comments on tickets as the agent', dataClass: 'INTERNAL', access: 'WRITE', policy: 'NEEDS_APPROVAL' },
    ],
  },
  {
    slug: 'docs-search',
    name: 'Engineering docs search',
    description: 'Retrieval over the engineering handbook, runbooks and the public changelog.',
    transport: 'STDIO',
    endpoint: 'npx @northwind/docs-mcp --index engineering',
    owner: 'lena',
    team: 'devprod',
    hasLogging: true,
    hasOwnerReview: true,
    hasKillSwitch: true,
    capabilities: [
      { tool: 'search_docs', description: 'Semantic search over the engineering handbook.', business: 'search internal engineering documentation', dataClass: 'INTERNAL', access: 'READ', policy: 'DEFAULT_READ' },
      { tool: 'get_runbook', description: 'Return a runbook by service name.', business: 'read operational runbooks (hostnames, escalation contacts)', dataClass: 'CONFIDENTIAL', access: 'READ', policy: 'DEFAULT_READ' },
      { tool: 'public_changelog', description: 'List public changelog entries.', business: 'read the public product changelog', dataClass: 'PUBLIC', access: 'READ', policy: 'DEFAULT_READ' },
    ],
  },
  {
    slug: 'ledger-replica',
    name: 'Ledger read replica',
    description: 'SQL access to the ledger read replica and its synthetic fixture schema.',
    transport: 'STREAMABLE_HTTP',
    endpoint: 'https://mcp.northwind.internal/ledger-replica',
    owner: 'marcus',
    team: 'payments',
    hasLogging: true,
    hasOwnerReview: false,
    hasKillSwitch: true,
    capabilities: [
      { tool: 'query_sample_ledger', description: 'Run a read-only query against the fixtures schema.', business: 'query synthetic ledger fixtures', dataClass: 'REGULATED', access: 'READ', policy: 'SYNTHETIC_ONLY' },
      { tool: 'query_customer_accounts', description: 'Read account balances by customer id.', business: 'read live customer account balances', dataClass: 'REGULATED', access: 'READ', policy: 'BLOCKED' },
      { tool: 'export_transactions', description: 'Export transactions for a date range as CSV.', business: 'bulk export of customer transactions', dataClass: 'CUSTOMER', access: 'READ', policy: 'BLOCKED' },
      { tool: 'run_sql', description: 'Execute arbitrary SQL.', business: null, dataClass: 'INTERNAL', access: 'WRITE', policy: 'BLOCKED' },
    ],
  },
  {
    slug: 'support-desk',
    name: 'Support desk',
    description: 'Support tickets and the support handbook. In the demo this is the fixture MCP server that `npm run dev` starts, so calls through the gateway really run.',
    transport: 'STREAMABLE_HTTP',
    endpoint: DEMO_MCP_URL,
    owner: 'elena',
    team: 'cx',
    hasLogging: true,
    hasOwnerReview: true,
    hasKillSwitch: true,
    capabilities: [
      { tool: 'search_docs', description: 'Search the support handbook.', business: 'search the support handbook', dataClass: 'INTERNAL', access: 'READ', policy: 'DEFAULT_READ' },
      { tool: 'read_ticket', description: 'Read one support ticket with its latest comments.', business: 'read customer support tickets', dataClass: 'CUSTOMER', access: 'READ', policy: 'NEEDS_APPROVAL' },
      { tool: 'write_comment', description: 'Add a comment to a ticket.', business: 'post comments on support tickets', dataClass: 'INTERNAL', access: 'WRITE', policy: 'NEEDS_APPROVAL' },
      { tool: 'slow_report', description: 'Build a ticket report; takes the given number of milliseconds.', business: 'build support reports', dataClass: 'INTERNAL', access: 'READ', policy: 'BLOCKED' },
    ],
  },
];

export const SENSITIVE_AREAS: readonly { name: string; category: string; pattern: string; tier: RiskTier; owner: PersonKey; description: string }[] = [
  { name: 'auth', category: 'auth', pattern: '**/auth/**', tier: 'HIGH', owner: 'sam', description: 'Sign-in, sessions, SSO and token handling.' },
  { name: 'billing', category: 'billing', pattern: '**/billing/**', tier: 'HIGH', owner: 'marcus', description: 'Invoices, billing exports and pricing.' },
  { name: 'payments', category: 'payments', pattern: '**/payments/**', tier: 'HIGH', owner: 'marcus', description: 'Money movement: payouts, refunds, ledger postings.' },
  { name: 'customer data', category: 'customer-data', pattern: '**/customer-data/**', tier: 'HIGH', owner: 'dana', description: 'Code that reads or stores customer records.' },
  { name: 'personal data', category: 'customer-data', pattern: '**/pii/**', tier: 'HIGH', owner: 'dana', description: 'Personal data handling (GDPR scope).' },
  { name: 'permissions', category: 'permissions', pattern: '**/permissions/**', tier: 'HIGH', owner: 'sam', description: 'Authorization rules and role checks.' },
  { name: 'concurrency', category: 'concurrency', pattern: '**/locks/**', tier: 'HIGH', owner: 'marcus', description: 'Locks and idempotency around balances.' },
  { name: 'regulated records', category: 'regulated', pattern: '**/regulatory/**', tier: 'HIGH', owner: 'dana', description: 'Regulatory reporting and record keeping.' },
  { name: 'internal tools', category: 'internal-tools', pattern: '**/internal-tools/**', tier: 'HIGH', owner: 'lena', description: 'Back-office tools with production access.' },
  { name: 'production scripts', category: 'production-scripts', pattern: 'scripts/prod/**', tier: 'HIGH', owner: 'lena', description: 'Scripts run against production.' },
  { name: 'CI workflows', category: 'deployment', pattern: '.github/workflows/**', tier: 'HIGH', owner: 'lena', description: 'Pipelines that hold deploy credentials.' },
  { name: 'schema migrations', category: 'migrations', pattern: '**/migrations/**', tier: 'STOP', owner: 'marcus', description: 'Database schema changes.' },
  { name: 'deploy path', category: 'deployment', pattern: 'deploy/**', tier: 'STOP', owner: 'lena', description: 'Kubernetes manifests and release configuration.' },
  { name: 'environment files', category: 'secrets', pattern: '**/*.env*', tier: 'STOP', owner: 'sam', description: 'Environment files that hold credentials.' },
  { name: 'secrets', category: 'secrets', pattern: '**/secrets/**', tier: 'STOP', owner: 'sam', description: 'Secret material of any kind.' },
];

export type DecisionSpec = { by: PersonKey; outcome: 'APPROVE' | 'REQUEST_CHANGES' | 'REJECT'; reason: string; afterHours: number };

export type ContractSpec = {
  title: string;
  description: string;
  requester: PersonKey;
  team: TeamSlug;
  identity: IdentityKey;
  repository: string;
  allow: string[];
  block?: string[];
  checks: string[];
  data?: string[];
  blockedItems?: string[];
  capabilities?: string[]; // server-slug/tool
  commands?: string[];
  rollbackPlan?: string;
  namedApprover?: PersonKey;
  /** The tier the classifier must give this content: the seed refuses to run if it does not. */
  expectTier: RiskTier | null;
  status: ContractStatus;
  daysAgo: number;
  /** Decisions on the approver request, then the security co-sign (High). */
  approver?: DecisionSpec;
  cosign?: DecisionSpec;
  exception?: { status: 'REQUESTED' | 'GRANTED' | 'REFUSED'; what: string; why: string; controls: string; by?: PersonKey; reason?: string };
  /** Earlier version: the scope before the requester narrowed or widened it. */
  previousAllow?: string[];
  run?: { outcome: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'STARTED'; pr?: number; violation?: string; summary: string };
  closeOut?: { outcome: 'ACCEPTED' | 'REJECTED'; by: PersonKey; reason: string };
};

const STANDARD_BLOCKS = ['secrets', 'production-records', 'migrations', 'deploy-config'];
const ALL_DELIVERABLES = ['patch', 'summary', 'review-packet', 'rollback-note'];

export function deliverablesFor(tier: RiskTier | null): string[] {
  if (tier === 'LOW' || tier === null) return ['patch', 'summary'];
  if (tier === 'MEDIUM') return ['patch', 'summary', 'review-packet'];
  return ALL_DELIVERABLES;
}

export function budgetFor(tier: RiskTier | null) {
  switch (tier) {
    case 'HIGH':
    case 'STOP':
      return { costCents: 2500, toolCalls: 400, wallMinutes: 120 };
    case 'MEDIUM':
      return { costCents: 1200, toolCalls: 250, wallMinutes: 90 };
    default:
      return { costCents: 400, toolCalls: 80, wallMinutes: 30 };
  }
}

export { STANDARD_BLOCKS };

export const CONTRACTS: ContractSpec[] = [
  // ── Low ──
  {
    title: 'Fix typo in refund policy docs',
    description: 'The refund policy page says "14 buisness days". Fix the typo and the broken anchor link below it.',
    requester: 'priya', team: 'payments', identity: 'claude', repository: 'northwind/docs',
    allow: ['docs/policies/refunds.md'], checks: ['npm run docs:lint'], expectTier: 'LOW', status: 'CLOSED', daysAgo: 38,
    run: { outcome: 'SUCCEEDED', pr: 412, summary: 'Fixed the typo and the anchor; docs lint passes.' },
    closeOut: { outcome: 'ACCEPTED', by: 'priya', reason: 'One-line docs fix, reviewed in the PR; nothing else touched.' },
  },
  {
    title: 'Update README quick start for the web app',
    description: 'The quick start still mentions yarn and Node 16. Update it to npm and Node 20, and link the new env var docs.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/web-app',
    allow: ['README.md', 'docs/**'], checks: ['npm run docs:lint'], expectTier: 'LOW', status: 'COMPLETED', daysAgo: 9,
    run: { outcome: 'SUCCEEDED', pr: 2291, summary: 'Quick start rewritten for npm and Node 20; env var docs linked.' },
  },
  {
    title: 'Correct broken links in the API reference',
    description: 'The link checker reports 23 broken links in the API reference after the docs move. Fix them.',
    requester: 'lena', team: 'devprod', identity: 'cibot', repository: 'northwind/docs',
    allow: ['docs/api/**'], checks: ['npm run docs:links'], expectTier: 'LOW', status: 'READY', daysAgo: 1,
  },
  {
    title: 'Collect CSV export answers from the support handbook into an FAQ',
    description: 'Support answers the same CSV export questions by hand every week. Search the support handbook through the Support desk MCP server, write the answers up as an FAQ page in the help centre, and link the FAQ on the open CSV export tickets.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/help-centre',
    allow: ['content/faq/**'], checks: ['npm run content:lint'], capabilities: ['support-desk/search_docs', 'support-desk/write_comment'], expectTier: 'HIGH', status: 'APPROVED', daysAgo: 0.4,
    rollbackPlan: 'Revert the FAQ page; comments posted on tickets stay, and are listed in the run evidence.',
    approver: { by: 'elena', outcome: 'APPROVE', reason: 'Handbook search only, no ticket reading; each comment on a ticket goes past Tomás first (the gateway holds it). Approved.', afterHours: 2 },
    cosign: { by: 'sam', outcome: 'APPROVE', reason: 'Write tool held per call by the gateway; no customer data in scope. Co-signed.', afterHours: 3 },
  },
  {
    title: 'Rename misleading variable in the date helper',
    description: '`utcOffset` in formatDate is actually minutes east of UTC. Rename it and update the test names.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/web-app',
    allow: ['src/lib/format-date.ts', 'src/lib/format-date.test.ts'], checks: ['npm test -- format-date'], expectTier: 'LOW', status: 'RUNNING', daysAgo: 0.3,
    run: { outcome: 'STARTED', summary: '' },
  },
  {
    title: 'Clarify on-call handbook escalation steps',
    description: 'Make the payments escalation path explicit: who to page after 15 minutes, and when to open an incident.',
    requester: 'priya', team: 'payments', identity: 'claude', repository: 'northwind/docs',
    allow: ['docs/on-call/handbook.md'], checks: ['npm run docs:lint'], expectTier: 'LOW', status: 'CLOSED', daysAgo: 20,
    run: { outcome: 'SUCCEEDED', pr: 431, summary: 'Escalation steps rewritten as a numbered list with paging times.' },
    closeOut: { outcome: 'ACCEPTED', by: 'priya', reason: 'Reviewed with the on-call lead; reads clearly now.' },
  },
  // ── Drafts ──
  {
    title: 'Migrate the settings page to the new form library',
    description: 'Replace the hand-rolled settings form with react-hook-form and zod. Still scoping which fields move first.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/web-app',
    allow: ['src/app/settings/**'], checks: ['npm test -- settings'], expectTier: null, status: 'DRAFT', daysAgo: 2,
  },
  {
    title: 'Stabilise the flaky checkout end-to-end test',
    description: 'checkout.spec.ts fails about one run in ten on the payment confirmation step. Find the race and fix the wait.',
    requester: 'priya', team: 'payments', identity: 'claude', repository: 'northwind/web-app',
    allow: ['e2e/checkout.spec.ts'], checks: ['npx playwright test checkout --repeat-each 20'], expectTier: null, status: 'DRAFT', daysAgo: 0.5,
  },
  // ── Medium ──
  {
    title: 'Add retry with jitter to webhook delivery',
    description: 'Merchant webhooks are retried at fixed 30 s intervals and stampede after outages. Use exponential backoff with full jitter, capped at 10 minutes.',
    requester: 'marcus', team: 'payments', identity: 'claude', repository: 'northwind/payments-api',
    allow: ['src/webhooks/**'], checks: ['npm test -- webhooks', 'npm run lint'], expectTier: 'MEDIUM', status: 'IN_REVIEW', daysAgo: 0.2,
  },
  {
    title: 'Paginate the customer list endpoint',
    description: 'GET /api/customers returns every customer for large merchants (40k rows). Add cursor pagination with a default page of 100.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/web-app',
    allow: ['src/app/api/customers/route.ts', 'src/app/api/customers/route.test.ts', 'src/lib/pagination.ts', 'src/lib/pagination.test.ts'],
    previousAllow: ['src/app/api/**', 'src/lib/**'],
    checks: ['npm test -- customers pagination'], expectTier: 'MEDIUM', status: 'APPROVED', daysAgo: 3,
    approver: { by: 'elena', outcome: 'APPROVE', reason: 'Scope narrowed to the route and the pagination helper; tests cover the cursor edge cases. Approved.', afterHours: 5 },
  },
  {
    title: 'Add structured logging to the notification worker',
    description: 'Replace console.log calls with the shared pino logger and include the notification id in every line.',
    requester: 'lena', team: 'devprod', identity: 'cibot', repository: 'northwind/platform-workers',
    allow: ['services/notifications/**'], checks: ['npm test -- notifications'], capabilities: ['docs-search/search_docs'], expectTier: 'MEDIUM', status: 'CLOSED', daysAgo: 27,
    approver: { by: 'elena', outcome: 'APPROVE', reason: 'Logging only, no behaviour change; checks are targeted.', afterHours: 3 },
    run: { outcome: 'SUCCEEDED', pr: 877, summary: 'All 31 console calls replaced; notification id added to the log context.' },
    closeOut: { outcome: 'ACCEPTED', by: 'elena', reason: 'Deployed to staging, logs look right in Grafana.' },
  },
  {
    title: 'Speed up CI by caching dependencies',
    description: 'Cache the npm store between CI jobs keyed on the lockfile; target: install step under 40 s.',
    requester: 'lena', team: 'devprod', identity: 'cibot', repository: 'northwind/platform-workers',
    allow: ['scripts/ci/**', 'package.json'], checks: ['npm run ci:smoke'], capabilities: ['docs-search/search_docs', 'docs-search/public_changelog'], expectTier: 'MEDIUM', status: 'COMPLETED', daysAgo: 12,
    approver: { by: 'marcus', outcome: 'APPROVE', reason: 'Cache key on the lockfile is right; no workflow files touched.', afterHours: 20 },
    run: { outcome: 'SUCCEEDED', pr: 902, summary: 'Install step down from 2 min 10 s to 34 s in the smoke pipeline.' },
  },
  {
    title: 'Replace moment.js with date-fns in the dashboard',
    description: 'moment is 290 kB of our dashboard bundle. Replace it with date-fns and keep the displayed formats identical.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/web-app',
    allow: ['src/dashboard/**'], checks: ['npm test -- dashboard'], expectTier: 'MEDIUM', status: 'CHANGES_REQUESTED', daysAgo: 4,
    approver: { by: 'marcus', outcome: 'REQUEST_CHANGES', reason: 'Add a visual regression check for the date columns before this runs; the formats differ around DST.', afterHours: 26 },
  },
  {
    title: 'Generate TypeScript types from the OpenAPI spec',
    description: 'Hand-written API types drift from the spec. Generate them in packages/api-types from openapi.yaml on build.',
    requester: 'lena', team: 'devprod', identity: 'cibot', repository: 'northwind/platform-workers',
    allow: ['packages/api-types/**'], checks: ['npm run typecheck'], data: ['repo-content', 'internal-docs'], capabilities: ['docs-search/search_docs'],
    expectTier: 'MEDIUM', status: 'RUNNING', daysAgo: 1,
    approver: { by: 'marcus', outcome: 'APPROVE', reason: 'Generated code only, docs search is read-only internal. Fine.', afterHours: 2 },
    run: { outcome: 'STARTED', summary: '' },
  },
  {
    title: 'Refactor feature-flag evaluation',
    description: 'Collapse the three flag evaluators into one with a shared cache.',
    requester: 'priya', team: 'payments', identity: 'claude', repository: 'northwind/payments-api',
    allow: ['src/flags/**'], checks: ['npm test -- flags'], expectTier: 'MEDIUM', status: 'REJECTED', daysAgo: 16,
    approver: { by: 'elena', outcome: 'REJECT', reason: 'The platform team is replacing flag evaluation next quarter; this would conflict. Let us not spend agent time here.', afterHours: 30 },
  },
  {
    title: 'Summarise open escalations for the support handbook',
    description: 'Use the docs index and the public changelog to draft a "known issues" page for support. No ticket contents.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/docs',
    allow: ['docs/support/known-issues.md'], checks: ['npm run docs:lint'], data: ['repo-content', 'internal-docs'],
    capabilities: ['docs-search/search_docs', 'docs-search/public_changelog'], namedApprover: 'marcus',
    expectTier: 'MEDIUM', status: 'IN_REVIEW', daysAgo: 1.4,
  },
  {
    title: 'Reconcile ledger fixtures against the replica schema',
    description: 'The fixtures schema drifted from the replica. Query the synthetic fixtures and update the fixture builders to match.',
    requester: 'marcus', team: 'payments', identity: 'claude', repository: 'northwind/payments-api',
    allow: ['tests/fixtures/ledger/**'], checks: ['npm test -- fixtures'], data: ['synthetic-examples', 'repo-content'], capabilities: ['ledger-replica/query_sample_ledger'],
    expectTier: 'MEDIUM', status: 'APPROVED', daysAgo: 2,
    approver: { by: 'elena', outcome: 'APPROVE', reason: 'Synthetic fixtures only, and the replica tool is the synthetic-only one. Approved.', afterHours: 4 },
  },
  {
    title: 'Tidy lint warnings in the shared UI kit',
    description: 'Fix the 140 eslint warnings in packages/ui so we can turn warnings into errors.',
    requester: 'lena', team: 'devprod', identity: 'cibot', repository: 'northwind/platform-workers',
    allow: ['packages/ui/**'], checks: ['npm run lint -- packages/ui', 'npm test -- ui'], expectTier: 'MEDIUM', status: 'CLOSED', daysAgo: 33,
    approver: { by: 'marcus', outcome: 'APPROVE', reason: 'Mechanical lint fixes with tests; approved.', afterHours: 6 },
    run: { outcome: 'SUCCEEDED', pr: 811, summary: '138 warnings fixed, 2 suppressed with a comment explaining why.' },
    closeOut: { outcome: 'ACCEPTED', by: 'lena', reason: 'Lint now runs with --max-warnings=0 in CI.' },
  },
  // ── High ──
  {
    title: 'Paginate invoice export in billing/export',
    description: 'Invoice CSV export times out for merchants with more than 50k invoices. Stream it in pages of 5k rows.',
    requester: 'priya', team: 'payments', identity: 'claude', repository: 'northwind/payments-api',
    allow: ['billing/export/**'], previousAllow: ['billing/**'], checks: ['npm test -- billing/export', 'npm run lint'], namedApprover: 'marcus',
    rollbackPlan: 'Revert the PR; the export endpoint is stateless. Verify with the export smoke test on staging.',
    expectTier: 'HIGH', status: 'IN_REVIEW', daysAgo: 0.15,
  },
  {
    title: 'Fix race in the ledger balance lock',
    description: 'Two concurrent payouts can both read the old balance. Take the advisory lock before the read, not after.',
    requester: 'marcus', team: 'payments', identity: 'claude', repository: 'northwind/payments-api',
    allow: ['src/ledger/locks/**', 'src/ledger/balance.ts'], checks: ['npm test -- ledger', 'npm run test:concurrency'], namedApprover: 'elena',
    rollbackPlan: 'Feature flag ledger.lockBeforeRead defaults on; turn it off to restore the old order without a deploy.',
    expectTier: 'HIGH', status: 'APPROVED', daysAgo: 1.2,
    approver: { by: 'elena', outcome: 'APPROVE', reason: 'Lock order change is minimal, concurrency test reproduces the race first. Flag gives a fast rollback.', afterHours: 6 },
    cosign: { by: 'sam', outcome: 'APPROVE', reason: 'No new data access; the change is behind a flag. Co-signed.', afterHours: 9 },
  },
  {
    title: 'Add SSO group mapping to the auth middleware',
    description: 'Map Okta groups to app roles at sign-in so support staff stop needing manual role grants.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/web-app',
    allow: ['src/auth/**'], checks: ['npm test -- auth', 'npm run lint'], namedApprover: 'marcus',
    rollbackPlan: 'Remove the GROUP_ROLE_MAP env var: the middleware falls back to manual grants. Verify a support user keeps their role.',
    expectTier: 'HIGH', status: 'RUNNING', daysAgo: 2.5,
    approver: { by: 'marcus', outcome: 'APPROVE', reason: 'Mapping is read at sign-in only and defaults to no grant; tests cover unknown groups.', afterHours: 4 },
    cosign: { by: 'dana', outcome: 'APPROVE', reason: 'Least privilege by default; no token handling changes. Co-signed.', afterHours: 7 },
    run: { outcome: 'STARTED', summary: '' },
  },
  {
    title: 'Tighten permission checks on admin exports',
    description: 'Admin exports only check "is admin", not the export scope. Require the export:customers permission.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/web-app',
    allow: ['src/permissions/**', 'src/app/admin/exports/**'], checks: ['npm test -- permissions exports'], namedApprover: 'elena',
    rollbackPlan: 'Revert the PR. Before reverting, confirm no admin lost access they need (check the audit log for 403s).',
    expectTier: 'HIGH', status: 'COMPLETED', daysAgo: 6,
    approver: { by: 'elena', outcome: 'APPROVE', reason: 'Narrows access, does not widen it; exports team agreed on the permission name.', afterHours: 5 },
    cosign: { by: 'sam', outcome: 'APPROVE', reason: 'Closes a finding from the Q3 pentest. Co-signed.', afterHours: 8 },
    run: { outcome: 'SUCCEEDED', pr: 2275, summary: 'Permission check added to all four export routes; 12 new tests.' },
  },
  {
    title: 'Post release notes to the release tickets',
    description: 'After each release, post the generated release notes as a comment on the release ticket.',
    requester: 'lena', team: 'devprod', identity: 'cibot', repository: 'northwind/docs',
    allow: ['docs/releases/**'], checks: ['npm run docs:lint'], capabilities: ['linear-tickets/create_comment'], namedApprover: 'elena',
    rollbackPlan: 'Delete the posted comments with the ticket API; no code to revert beyond the docs change.',
    expectTier: 'HIGH', status: 'IN_REVIEW', daysAgo: 1.1,
  },
  {
    title: 'Backfill currency codes in payments reports',
    description: 'Reports written before March lack the currency column. Backfill it from the payment intent in the report generator.',
    requester: 'priya', team: 'payments', identity: 'claude', repository: 'northwind/payments-api',
    allow: ['src/payments/reports/**'], checks: ['npm test -- payments/reports'], capabilities: ['docs-search/search_docs'], namedApprover: 'marcus',
    rollbackPlan: 'Reports are regenerated nightly: revert the PR and regenerate. Verify the March totals match finance export.',
    expectTier: 'HIGH', status: 'CLOSED', daysAgo: 24,
    approver: { by: 'marcus', outcome: 'APPROVE', reason: 'Generator-only change; totals are checked against the finance export.', afterHours: 3 },
    cosign: { by: 'dana', outcome: 'APPROVE', reason: 'No customer data leaves the report pipeline. Co-signed.', afterHours: 5 },
    run: { outcome: 'SUCCEEDED', pr: 1790, summary: 'Currency derived from the payment intent; 4,812 historic reports regenerate correctly.' },
    closeOut: { outcome: 'ACCEPTED', by: 'marcus', reason: 'Finance confirmed the March totals match to the cent.' },
  },
  {
    title: 'Run contract tests in the CI workflow',
    description: 'Add the Pact contract tests as a required job in the main workflow.',
    requester: 'lena', team: 'devprod', identity: 'cibot', repository: 'northwind/platform-workers',
    allow: ['.github/workflows/contract-tests.yml'], blockedItems: ['secrets', 'production-records', 'migrations'], checks: ['npm run test:contracts'], namedApprover: 'marcus',
    rollbackPlan: 'Remove the job from the workflow and the required check from branch protection.',
    expectTier: 'HIGH', status: 'CLOSED', daysAgo: 18,
    approver: { by: 'marcus', outcome: 'APPROVE', reason: 'New job only, no secrets referenced.', afterHours: 4 },
    cosign: { by: 'sam', outcome: 'APPROVE', reason: 'Workflow does not request new permissions. Co-signed.', afterHours: 6 },
    run: { outcome: 'FAILED', pr: 915, summary: 'Workflow added, but the broker URL is unreachable from CI runners; contract job fails.' },
    closeOut: { outcome: 'REJECTED', by: 'lena', reason: 'The required check would block every PR until the broker is reachable. Rejected; re-file after networking opens the route.' },
  },
  {
    title: 'Investigate failed payouts using ticket detail',
    description: 'Read the escalation tickets for the 12 failed payouts last week and write up the common cause.',
    requester: 'marcus', team: 'payments', identity: 'claude', repository: 'northwind/docs',
    allow: ['docs/incidents/payouts-2026-11.md'], checks: ['npm run docs:lint'], data: ['repo-content', 'internal-docs'],
    capabilities: ['linear-tickets/search_issues', 'linear-tickets/get_issue'], namedApprover: 'elena',
    rollbackPlan: 'Docs only: revert the write-up.',
    expectTier: 'HIGH', status: 'CHANGES_REQUESTED', daysAgo: 3,
    approver: { by: 'elena', outcome: 'REQUEST_CHANGES', reason: 'Escalation tickets contain customer bank details. Limit the run to tickets tagged payout-failure and say how you will keep account numbers out of the write-up.', afterHours: 7 },
  },
  {
    title: 'Harden CSV import in the internal admin tool',
    description: 'The merchant CSV import accepts formulas (CSV injection). Escape leading =, +, - and @ and add tests.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/web-app',
    allow: ['tools/internal-tools/csv-import/**'], checks: ['npm test -- csv-import'], namedApprover: 'marcus',
    rollbackPlan: 'Revert the PR; imports fall back to the previous parser. Verify with the sample merchant file.',
    expectTier: 'HIGH', status: 'COMPLETED', daysAgo: 5,
    approver: { by: 'marcus', outcome: 'APPROVE', reason: 'Escaping at the parser boundary is the right place; tests include the OWASP payloads.', afterHours: 3 },
    cosign: { by: 'dana', outcome: 'APPROVE', reason: 'Fixes a real injection path. Co-signed.', afterHours: 4 },
    run: {
      outcome: 'SUCCEEDED',
      pr: 2268,
      violation: 'tools/internal-tools/shared/session-token.ts',
      summary: 'Escaping added with 9 new tests. The agent also edited a shared session helper outside the contract scope.',
    },
  },
  // ── Stop ──
  {
    title: 'Rotate the Stripe webhook signing secret',
    description: 'The webhook signing secret was shared in a support thread. Rotate it and update the production env file.',
    requester: 'priya', team: 'payments', identity: 'claude', repository: 'northwind/payments-api',
    allow: ['config/stripe/.env.production'], blockedItems: ['production-records', 'deploy-config'], checks: ['npm test -- webhooks'],
    expectTier: 'STOP', status: 'BLOCKED', daysAgo: 0.6,
    exception: {
      status: 'REQUESTED',
      what: 'Write access to config/stripe/.env.production for one rotation',
      why: 'The old secret is exposed; rotating by hand took 40 minutes last time and was error-prone.',
      controls: 'Pairing with Sam during the run; the new secret is generated in the vault, the agent only writes the reference.',
    },
  },
  {
    title: 'Add an index to the transactions table',
    description: 'Merchant statement queries scan transactions by (merchant_id, created_at). Add a concurrent index in a migration.',
    requester: 'marcus', team: 'payments', identity: 'claude', repository: 'northwind/payments-api',
    allow: ['services/ledger/migrations/**'], blockedItems: ['secrets', 'production-records', 'deploy-config'], checks: ['npm run migrate:check'], namedApprover: 'elena',
    rollbackPlan: 'DROP INDEX CONCURRENTLY in a follow-up migration; the index is not used by any constraint.',
    expectTier: 'STOP', status: 'IN_REVIEW', daysAgo: 1.6,
    exception: {
      status: 'GRANTED',
      what: 'A schema migration that adds one index (CREATE INDEX CONCURRENTLY), nothing else',
      why: 'Statement generation p95 is 9 s; the index brings it to 120 ms in staging.',
      controls: 'Migration reviewed by a DBA; applied by the normal release pipeline, not by the agent.',
      by: 'dana',
      reason: 'Additive, concurrent index only; the agent writes the migration file but does not apply it. Granted for 7 days.',
    },
  },
  {
    title: 'Debug refund failures with live customer records',
    description: 'Reproduce the refund failures using the affected customers\' real records from the replica.',
    requester: 'tomas', team: 'cx', identity: 'claude', repository: 'northwind/web-app',
    allow: ['src/refunds/**'], data: ['repo-content', 'customer-records'], checks: ['npm test -- refunds'],
    expectTier: 'STOP', status: 'BLOCKED', daysAgo: 0.9,
  },
  {
    title: 'Raise memory limits for the API deployment',
    description: 'API pods are OOM-killed at peak. Raise the memory limit to 1 GiB and apply it.',
    requester: 'lena', team: 'devprod', identity: 'cibot', repository: 'northwind/infra',
    allow: ['deploy/k8s/api.yaml'], blockedItems: ['secrets', 'production-records'], checks: ['kubeconform deploy/k8s'], commands: ['kubectl apply -f deploy/k8s/api.yaml'],
    expectTier: 'STOP', status: 'BLOCKED', daysAgo: 7,
    exception: {
      status: 'REFUSED',
      what: 'Edit deploy/k8s/api.yaml and run kubectl apply against production',
      why: 'OOM kills during the evening peak.',
      controls: 'Change is one number.',
      by: 'sam',
      reason: 'Agents do not apply to production. Edit the manifest in a normal PR and let the release pipeline apply it; re-file without kubectl.',
    },
  },
];

/** Policy regression cases security wrote after earlier scares (actions in lib/policy/actions syntax). */
export const POLICY_CASES: readonly { name: string; expected: 'DENY' | 'NEEDS_APPROVAL'; identity: IdentityKey; data: readonly string[]; actions: string; note: string; daysAgo: number }[] = [
  {
    name: 'Agents never apply to production',
    expected: 'DENY',
    identity: 'cibot',
    data: ['repo-content'],
    actions: 'write deploy/k8s/api.yaml\nrun kubectl apply -f deploy/k8s/api.yaml',
    note: 'From the refused exception on "Raise memory limits": agents edit manifests in a pull request, the release pipeline applies them.',
    daysAgo: 6.5,
  },
  {
    name: 'Production env files stay out of reach',
    expected: 'DENY',
    identity: 'claude',
    data: ['repo-content'],
    actions: 'read config/stripe/.env.production\nwrite config/stripe/.env.production',
    note: 'Secrets are rotated through the vault; an agent may write a reference, never the file.',
    daysAgo: 12,
  },
  {
    name: 'Posting on tickets needs a person',
    expected: 'NEEDS_APPROVAL',
    identity: 'claude',
    data: ['repo-content', 'internal-docs'],
    actions: 'call linear-tickets/search_issues\ncall linear-tickets/create_comment',
    note: 'Customers read escalation tickets; an agent comments only after someone approves the call.',
    daysAgo: 9,
  },
  {
    name: 'Live customer balances are never read by an agent',
    expected: 'DENY',
    identity: 'claude',
    data: ['repo-content'],
    actions: 'call ledger-replica/query_customer_accounts',
    note: 'Regulated data. Debugging uses the synthetic ledger fixtures.',
    daysAgo: 20,
  },
];
