/**
 * Who may call what: every server action and every route handler of the app, with the principals
 * allowed to use it. `lib/security/authorization.int.test.ts` executes every cell against the real
 * actions and handlers on a real database, and fails when code and table disagree, when an action or
 * handler has no row, or when a row names code that no longer exists. `npm run docs:authz` prints
 * the table for `docs/authorization.md`.
 */

/** People calling server actions. `owner` is the requester who filed the contract (or owns the incident) acted on. */
export const ACTION_PRINCIPALS = ['signed-out', 'owner', 'requester', 'approver', 'security', 'leader', 'admin'] as const;
export type ActionPrincipal = (typeof ACTION_PRINCIPALS)[number];

/**
 * Callers of route handlers: no credentials, a session of each role, the agent identity's own token
 * (`mdt_…`), another identity's token, the run's own token (`mdr_…`), another run's token.
 */
export const ROUTE_PRINCIPALS = ['anonymous', 'requester', 'approver', 'security', 'leader', 'admin', 'agent', 'other-agent', 'run', 'other-run'] as const;
export type RoutePrincipal = (typeof ROUTE_PRINCIPALS)[number];

export type ActionRow = { allow: readonly ActionPrincipal[]; what: string };
/** `overHttp`: executed against the running app by e2e/security.spec.ts instead of in-process. */
export type RouteRow = { allow: readonly RoutePrincipal[] | 'everyone'; what: string; overHttp?: true };

const SECURITY = ['security'] as const;
const PEOPLE = ['owner', 'requester', 'approver', 'security', 'leader', 'admin'] as const;

/** Server actions, keyed `<file under app/>#<export>`. */
export const ACTION_MATRIX: Record<string, ActionRow> = {
  '(app)/contracts/actions.ts#saveDraftAction': { allow: ['owner'], what: "Edit a draft contract (the owner's draft; other requesters cannot touch it)" },
  '(app)/contracts/actions.ts#submitContractAction': { allow: ['owner'], what: 'Submit a draft contract for classification and approval' },
  '(app)/approvals/actions.ts#decideApprovalAction': { allow: ['approver'], what: 'Decide an approval request waiting in the approver queue' },
  '(app)/approvals/actions.ts#requestExceptionAction': { allow: ['owner'], what: 'Ask security for an exception to a Stop-tier contract' },
  '(app)/approvals/actions.ts#decideExceptionAction': { allow: SECURITY, what: 'Grant or refuse a security exception' },
  '(app)/notifications/actions.ts#markAllReadAction': { allow: PEOPLE, what: "Mark one's own notifications read" },
  '(app)/admin/people/actions.ts#endSessionsAction': { allow: ['admin'], what: "End every session of a person (they must sign in again)" },
  '(app)/account/actions.ts#changePasswordAction': { allow: PEOPLE, what: 'Change one\'s own password (the current one is required; all sessions end)' },
  '(app)/runs/[id]/actions.ts#abortRunAction': { allow: ['owner', 'security'], what: 'Stop a running agent run' },
  '(app)/runs/[id]/actions.ts#decideCallAction': { allow: ['owner', 'security'], what: 'Approve or deny an MCP call the gateway holds' },
  '(app)/runs/[id]/packet/actions.ts#saveRollbackNoteAction': { allow: ['owner', 'approver', 'security'], what: 'Write the rollback note of a review packet (the people on the contract, approvers, security)' },
  '(app)/runs/[id]/packet/actions.ts#closeOutAction': { allow: ['owner'], what: 'Accept or reject the result of a run (the accountable person only)' },
  '(app)/incidents/actions.ts#openIncidentAction': { allow: SECURITY, what: 'Open an incident' },
  '(app)/incidents/actions.ts#containIncidentAction': { allow: SECURITY, what: 'Contain an incident (kill switch, suspension, token revocation, freeze)' },
  '(app)/incidents/actions.ts#liftFreezeAction': { allow: SECURITY, what: 'Lift the freeze an incident put on a contract' },
  '(app)/incidents/actions.ts#resolveIncidentAction': { allow: ['owner', 'security'], what: 'Resolve an incident (security, or the incident owner)' },
  '(app)/incidents/actions.ts#reviewIncidentAction': { allow: ['owner', 'security'], what: 'Write the closing review of an incident (security, or the incident owner)' },
  '(app)/security/actions.ts#createIdentityAction': { allow: SECURITY, what: 'Register an agent identity' },
  '(app)/security/actions.ts#setIdentityStatusAction': { allow: SECURITY, what: 'Suspend, reactivate or revoke an agent identity' },
  '(app)/security/actions.ts#updateToolProfileAction': { allow: SECURITY, what: "Change an identity's tool profile" },
  '(app)/security/actions.ts#setIdentityKillSwitchAction': { allow: SECURITY, what: "Throw or lift an identity's kill switch" },
  '(app)/security/actions.ts#createTokenAction': { allow: SECURITY, what: 'Issue an agent token' },
  '(app)/security/actions.ts#revokeTokenAction': { allow: SECURITY, what: 'Revoke an agent token' },
  '(app)/security/actions.ts#rotateTokenAction': { allow: SECURITY, what: 'Rotate an agent token' },
  '(app)/security/actions.ts#registerServerAction': { allow: SECURITY, what: 'Register an MCP server' },
  '(app)/security/actions.ts#updateServerControlsAction': { allow: SECURITY, what: "Record an MCP server's controls" },
  '(app)/security/actions.ts#importToolsAction': { allow: SECURITY, what: "Import an MCP server's tools" },
  '(app)/security/actions.ts#describeCapabilityAction': { allow: SECURITY, what: 'Describe an MCP capability and set its policy' },
  '(app)/security/actions.ts#setServerKillSwitchAction': { allow: SECURITY, what: "Throw or lift an MCP server's kill switch" },
  '(app)/security/sensitive-areas/actions.ts#saveSensitiveAreaAction': { allow: SECURITY, what: 'Create or change a sensitive area' },
  '(app)/security/policy-cases/actions.ts#simulatePolicyChangeAction': { allow: SECURITY, what: 'Simulate a policy change against contracts and policy cases' },
  '(app)/security/policy-cases/actions.ts#createPolicyCaseAction': { allow: SECURITY, what: 'Write a policy case by hand' },
  '(app)/security/policy-cases/actions.ts#createCaseFromRunAction': { allow: SECURITY, what: "Save a run's receipts as a policy case" },
  '(app)/security/policy-cases/actions.ts#setCaseActiveAction': { allow: SECURITY, what: 'Retire or restore a policy case' },
};

const GATEWAY = ['agent', 'run', 'other-run'] as const;

/** Route handlers, keyed `<METHOD> <path>`. */
export const ROUTE_MATRIX: Record<string, RouteRow> = {
  'GET /api/health': { allow: 'everyone', what: 'Liveness and database readiness (says nothing else)' },
  'GET /api/evidence-key': { allow: 'everyone', what: 'The public half of the evidence signing key' },
  'GET /api/schemas/review-packet.json': { allow: 'everyone', what: 'JSON Schema of the review packet export' },
  'GET /api/v1/openapi.json': { allow: 'everyone', what: 'OpenAPI document of the agent API' },
  'GET /api/auth/[...nextauth]': { allow: 'everyone', what: 'next-auth: sign-in page data, CSRF token, session, callbacks', overHttp: true },
  'POST /api/auth/[...nextauth]': { allow: 'everyone', what: 'next-auth: sign in (throttled, CSRF token required), sign out', overHttp: true },
  'GET /api/approvals/queue': { allow: ['approver', 'security'], what: "The approver's queue, for the page's polling" },
  'GET /audit/export': { allow: ['security', 'leader', 'admin'], what: 'CSV of the audit log (audit:read)' },
  'GET /dashboard/export': { allow: ['leader', 'admin'], what: "CSV of the leadership dashboard's figures (dashboard:read)" },
  'GET /runs/[id]/packet/export': { allow: ['requester', 'approver', 'security', 'leader'], what: 'A review packet as JSON or Markdown (run:read; runs are readable org-wide)' },
  'GET /api/v1/me': { allow: ['agent', 'other-agent'], what: 'Who an agent token belongs to (any valid agent token, about itself)' },
  'POST /api/v1/runs': { allow: ['agent'], what: 'Start a run of a contract (only the identity the contract names)' },
  'GET /api/v1/runs/[id]': { allow: ['run'], what: 'The run as its agent sees it' },
  'POST /api/v1/runs/[id]/receipts': { allow: ['run'], what: 'Post evidence receipts to the run' },
  'POST /api/v1/runs/[id]/check': { allow: ['run'], what: 'Ask whether an action is inside the boundary' },
  'POST /api/v1/runs/[id]/finish': { allow: ['run'], what: 'Finish the run' },
  'POST /api/v1/runs/[id]/hooks/claude-code': { allow: ['run'], what: 'Claude Code hook events for the run' },
  'POST /api/v1/mcp/[server]': { allow: GATEWAY, what: "MCP gateway: a run token acts for its own run (another run's token sees only that run's grants); an agent token needs Mandate-Run naming a run of its own" },
  'GET /api/v1/mcp/[server]': { allow: GATEWAY, what: 'MCP gateway, GET (stateless: no event stream)' },
  'DELETE /api/v1/mcp/[server]': { allow: GATEWAY, what: 'MCP gateway, DELETE (stateless: no session to end)' },
};

const LABELS: Record<ActionPrincipal | RoutePrincipal, string> = {
  'signed-out': 'signed out',
  anonymous: 'no credentials',
  owner: 'owner',
  requester: 'requester',
  approver: 'approver',
  security: 'security',
  leader: 'leader',
  admin: 'admin',
  agent: 'agent token',
  'other-agent': 'other agent',
  run: 'run token',
  'other-run': 'other run',
};

export function routeAllows(row: RouteRow, who: RoutePrincipal): boolean {
  return row.allow === 'everyone' || row.allow.includes(who);
}

/** The tables as Markdown, for docs/authorization.md. */
export function renderMatrixMarkdown(): string {
  const cell = (ok: boolean) => (ok ? '✅' : '·');
  const lines = [
    '# Authorization matrix',
    '',
    '<!-- Generated by `npm run docs:authz` from lib/security/authorization-matrix.ts; do not edit by hand. -->',
    '',
    'Every server action and route handler of Mandate, and who may call it. Each cell is executed as a test',
    '(`lib/security/authorization.int.test.ts`) against the real action or handler and a real Postgres: ✅ must succeed,',
    '· must be refused (signed out → "session has ended"/401; wrong role → "not allowed"/403; someone else\'s resource →',
    'refused or not found/404) and write nothing. An action or handler without a row fails the suite.',
    '',
    `## Server actions (${Object.keys(ACTION_MATRIX).length} × ${ACTION_PRINCIPALS.length} principals)`,
    '',
    '"owner" is the requester who filed the contract acted on (for incidents: the incident\'s owner, a non-security person);',
    '"requester" is another requester. Each role column is a person holding only that role.',
    '',
    `| action | what | ${ACTION_PRINCIPALS.map((p) => LABELS[p]).join(' | ')} |`,
    `| --- | --- | ${ACTION_PRINCIPALS.map(() => ':-:').join(' | ')} |`,
    ...Object.entries(ACTION_MATRIX).map(([key, row]) => `| \`${key.split('#')[1]}\` (${key.split('#')[0]}) | ${row.what} | ${ACTION_PRINCIPALS.map((p) => cell(row.allow.includes(p))).join(' | ')} |`),
    '',
    `## Route handlers (${Object.keys(ROUTE_MATRIX).length} × ${ROUTE_PRINCIPALS.length} principals)`,
    '',
    '"agent token" is the token of the agent identity the contract names; "other agent" the token of another identity;',
    '"run token" the token of the run in the path (for the gateway: of the run it acts for); "other run" a token of another run.',
    '',
    `| route | what | ${ROUTE_PRINCIPALS.map((p) => LABELS[p]).join(' | ')} |`,
    `| --- | --- | ${ROUTE_PRINCIPALS.map(() => ':-:').join(' | ')} |`,
    ...Object.entries(ROUTE_MATRIX).map(([key, row]) => `| \`${key}\`${row.overHttp ? ' ¹' : ''} | ${row.what} | ${ROUTE_PRINCIPALS.map((p) => cell(routeAllows(row, p))).join(' | ')} |`),
    '',
    '¹ Executed over HTTP against the production server (`e2e/security.spec.ts`): next-auth reads the request through Next\'s own request context.',
    '',
  ];
  return lines.join('\n');
}
