import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO, signIn, snap } from './support';

const HOOK = join(process.cwd(), 'public', 'integrations', 'mandate-hook.mjs');

/** Runs the downloadable hook script the way Claude Code does: payload on stdin, decision on stdout. */
function hook(project: string, env: Record<string, string>, args: string[], payload?: unknown): { out: string; json: Record<string, unknown> | null } {
  const out = execFileSync(process.execPath, [HOOK, ...args], {
    input: payload === undefined ? '' : JSON.stringify(payload),
    env: { ...process.env, ...env, CLAUDE_PROJECT_DIR: project },
    encoding: 'utf8',
  });
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(out);
  } catch {
    json = null;
  }
  return { out, json };
}

test('a scripted Claude Code session through the hook shows on the run page with its violation and an intact chain', async ({ page, baseURL }) => {
  // Security makes a token for the agent named on MDT-14 (approved, Medium).
  await signIn(page, DEMO.security.email);
  await expect(page.getByRole('heading', { name: /Sam/ })).toBeVisible();
  await page.goto('/security/identities');
  await page.getByRole('link', { name: 'claude-code-northwind' }).click();
  const create = page.getByRole('form', { name: 'Create a token' });
  await create.getByLabel('Token name').fill('hook e2e');
  await create.getByRole('button', { name: 'Create token' }).click();
  const agentToken = (await page.getByTestId('new-token').textContent())!.trim();
  expect(agentToken).toMatch(/^mdt_/);

  const project = mkdtempSync(join(tmpdir(), 'mandate-hook-'));
  const cwd = '/home/dev/northwind-ledger';
  const env = { MANDATE_URL: baseURL!, MANDATE_AGENT_TOKEN: agentToken };
  try {
    const started = hook(project, env, ['start', 'MDT-14']);
    expect(started.out).toContain('Started run');
    const run = JSON.parse(readFileSync(join(project, '.mandate', 'run.json'), 'utf8'));
    expect(run.runToken).toMatch(/^mdr_/);

    const call = (event: 'pre' | 'post', tool: string, input: Record<string, unknown>, id: string) =>
      hook(project, env, [event], { hook_event_name: event === 'pre' ? 'PreToolUse' : 'PostToolUse', session_id: 'sess-e2e', cwd, tool_name: tool, tool_input: input, tool_use_id: id, ...(event === 'post' ? { tool_response: { success: true } } : {}) });

    // In scope: read, edit, run the contract's test command. Claude Code's own rules decide (no output from us).
    expect(call('pre', 'Read', { file_path: `${cwd}/src/lib/pagination.ts` }, 'toolu_e2e_1').json).toEqual({ suppressOutput: true });
    call('post', 'Read', { file_path: `${cwd}/src/lib/pagination.ts` }, 'toolu_e2e_1');
    expect(call('pre', 'Edit', { file_path: `${cwd}/src/app/api/customers/route.ts`, old_string: 'a', new_string: 'b' }, 'toolu_e2e_2').json).toEqual({ suppressOutput: true });
    call('post', 'Edit', { file_path: `${cwd}/src/app/api/customers/route.ts`, old_string: 'a', new_string: 'b' }, 'toolu_e2e_2');
    expect(call('pre', 'Bash', { command: 'npm test -- customers pagination' }, 'toolu_e2e_3').json).toEqual({ suppressOutput: true });
    call('post', 'Bash', { command: 'npm test -- customers pagination' }, 'toolu_e2e_3');

    // Out of scope: denied before it runs, with the reason for the agent.
    const denied = call('pre', 'Edit', { file_path: `${cwd}/config/.env.production`, old_string: 'x', new_string: 'y' }, 'toolu_e2e_4').json as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
    expect(denied.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(denied.hookSpecificOutput.permissionDecisionReason).toContain('config/.env.production');
    // A deploy command is refused outright.
    expect((call('pre', 'Bash', { command: 'kubectl apply -f deploy/' }, 'toolu_e2e_5').json as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision).toBe('deny');

    // A subagent's edit that skipped PreToolUse: its receipt is an unchecked call and outside the scope.
    const sneaky = call('post', 'Edit', { file_path: `${cwd}/src/auth/session.ts`, old_string: 'a', new_string: 'b' }, 'toolu_e2e_6').json!;
    expect(sneaky.decision).toBe('block');
    expect(String(sneaky.reason)).toContain('Unchecked call');

    const finished = hook(project, env, ['finish', '--outcome', 'succeeded', '--patch', 'https://github.com/northwind/ledger/pull/4242', '--summary', 'Cursor pagination on the customers endpoint', '--check', 'npm test -- customers pagination=passed', '--cost-cents', '184']);
    expect(finished.out).toMatch(/succeeded: \d+ receipts, 1 violation/);

    // The run page: receipts, the violation, an intact signed chain.
    await page.goto(`/runs/${run.runId}`);
    await expect(page.getByRole('heading', { name: /Run of/ })).toBeVisible();
    await expect(page.getByTestId('chain-status')).toContainText('Evidence chain intact');
    await expect(page.getByTestId('chain-status')).toContainText('signed checkpoint');
    await expect(page.getByRole('heading', { name: 'Boundary violations (1)' })).toBeVisible();
    await expect(page.getByText(/Unchecked call: write src\/auth\/session.ts/).first()).toBeVisible();
    await expect(page.getByTestId('receipt')).toHaveCount(6); // start, read, edit, command, unchecked edit, finish
    await expect(page.getByText('1 unchecked call')).toBeVisible();
    await expect(page.getByText('2 denied', { exact: false })).toBeVisible();
    await expect(page.getByRole('link', { name: 'github.com/northwind/ledger/pull/4242' })).toBeVisible();
    await expect(page.getByText('$1.84')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Checks' }).getByText('passed')).toBeVisible();
    await snap(page, 'run-page');

    // Filter the timeline by kind.
    await page.getByRole('link', { name: /^File written 2$/ }).click();
    await expect(page.getByTestId('receipt')).toHaveCount(2);
    await page.getByRole('link', { name: /^Violations 1$/ }).click();
    await expect(page.getByTestId('receipt')).toHaveCount(1);

    // The guard rails for Claude Code, from the contract.
    await page.getByText('Show .claude/settings.json').click();
    await expect(page.getByTestId('claude-settings')).toContainText('Edit(/src/app/api/customers/route.ts)');
    await expect(page.getByTestId('claude-settings')).toContainText('mandate-hook.mjs\\" pre');
    await snap(page, 'run-page-settings');

    // The contract page links the run and now waits for close-out.
    await page.getByRole('link', { name: 'MDT-14' }).first().click();
    await expect(page.getByRole('link', { name: /Run started/ }).first()).toBeVisible();
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});

test('the integrations page serves the hook, its setup, the public key and the API docs', async ({ page, request }) => {
  await signIn(page, DEMO.requester.email);
  await expect(page.getByRole('heading', { name: /Priya/ })).toBeVisible();
  await page.goto('/integrations');
  await expect(page.getByRole('heading', { name: 'Integrations' })).toBeVisible();
  await expect(page.getByTestId('key-id')).toHaveText(/^ed25519:[0-9a-f]{16}$/);
  await expect(page.getByTestId('hooks-snippet')).toContainText('PreToolUse');
  await snap(page, 'integrations');
  const script = await request.get('/integrations/mandate-hook.mjs');
  expect(script.ok()).toBe(true);
  expect(await script.text()).toContain('Fails CLOSED');
  const key = await request.get('/api/evidence-key');
  expect(await key.text()).toContain('BEGIN PUBLIC KEY');
  await page.getByRole('link', { name: 'Endpoints' }).click();
  await expect(page.getByRole('heading', { name: 'Agent API' })).toBeVisible();
  await expect(page.getByText('/api/v1/runs/{id}/check')).toBeVisible();
  const openapi = await (await request.get('/api/v1/openapi.json')).json();
  expect(openapi.openapi).toBe('3.1.0');
  expect(Object.keys(openapi.paths)).toContain('/api/v1/runs/{id}/receipts');
});

test('security aborts a running run with a reason; the run ends aborted with its chain signed', async ({ page }) => {
  await signIn(page, DEMO.security.email);
  await expect(page.getByRole('heading', { name: /Sam/ })).toBeVisible();
  await page.goto('/contracts?q=Add+SSO+group+mapping');
  await page.getByRole('link', { name: 'Add SSO group mapping to the auth middleware' }).click();
  await page.getByRole('link', { name: /Run started/ }).first().click();
  await expect(page.getByText('running', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: /Abort the run/ }).click();
  const form = page.getByRole('form', { name: 'Abort the run' });
  await form.getByRole('button', { name: 'Abort the run' }).click();
  await expect(form.getByText('Say why the run is stopped')).toBeVisible();
  await form.getByLabel('Why the run is stopped (required)').fill('The group mapping change is on hold until the IdP migration.');
  await form.getByRole('button', { name: 'Abort the run' }).click();
  await expect(page.getByText('aborted', { exact: true })).toBeVisible();
  await expect(page.getByTestId('chain-status')).toContainText('signed checkpoint');
  await expect(page.getByText(/Run finished: aborted/)).toBeVisible();
  await snap(page, 'run-aborted');
});
