#!/usr/bin/env node
// Mandate hook for Claude Code. Dependency-free (Node 18+). Served by your Mandate app at
// /integrations/mandate-hook.mjs; setup steps are on its Integrations page.
//
//   node mandate-hook.mjs start MDT-12        start a run (needs MANDATE_URL and MANDATE_AGENT_TOKEN);
//                                             writes .mandate/run.json (mode 0600) for the hooks below
//   node mandate-hook.mjs pre                 PreToolUse hook: asks Mandate's boundary, denies what is out of scope
//   node mandate-hook.mjs post                PostToolUse hook: posts a receipt for the call that just ran
//   node mandate-hook.mjs finish --outcome succeeded|failed|aborted [--patch <PR url or sha>] [--summary <text>]
//                                [--check "npm test=passed"]… [--cost-cents <n>]
//   node mandate-hook.mjs status              what Mandate knows of the current run
//   eval "$(node mandate-hook.mjs env)"       exports MANDATE_RUN_ID and MANDATE_RUN_TOKEN, which an
//                                             .mcp.json pointing at the Mandate MCP gateway reads
//
// Fails CLOSED: if Mandate cannot be reached or answers with an error, or this script itself fails,
// every call that can change something is denied (read-only tools are let through, and their
// receipts will show that they ran unchecked). It never crashes in a way that lets a write through.
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = '1';
const READ_ONLY_TOOLS = new Set(['Read', 'Glob', 'Grep', 'LS', 'NotebookRead', 'TodoWrite', 'TodoRead', 'ExitPlanMode']);
const TIMEOUT_MS = Number(process.env.MANDATE_TIMEOUT_MS) > 0 ? Number(process.env.MANDATE_TIMEOUT_MS) : 5000;
const projectDir = process.env.CLAUDE_PROJECT_DIR || process.cwd();
const stateDir = join(projectDir, '.mandate');
const runFile = join(stateDir, 'run.json');
const spoolFile = join(stateDir, 'spool.jsonl');

function readRun() {
  if (process.env.MANDATE_RUN_ID && process.env.MANDATE_RUN_TOKEN) {
    return { url: requireEnv('MANDATE_URL'), runId: process.env.MANDATE_RUN_ID, runToken: process.env.MANDATE_RUN_TOKEN };
  }
  if (!existsSync(runFile)) throw new Error(`no run: ${runFile} does not exist (start one with "node mandate-hook.mjs start MDT-<n>")`);
  const run = JSON.parse(readFileSync(runFile, 'utf8'));
  if (!run.url || !run.runId || !run.runToken) throw new Error(`${runFile} is incomplete`);
  return run;
}

function requireEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value.replace(/\/+$/, '');
}

async function call(url, token, body, method = 'POST') {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': `mandate-hook/${VERSION}` },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new Error(`Mandate answered ${res.status} with something that is not JSON`);
  }
  if (!res.ok) throw new Error(`Mandate answered ${res.status}: ${json.title ?? ''}${json.detail ? ` ${json.detail}` : ''}`.trim());
  return json;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const print = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const hookUrl = (run) => `${run.url}/api/v1/runs/${run.runId}/hooks/claude-code`;

/**
 * An MCP tool whose server the project's .mcp.json routes through this Mandate's gateway: the gateway
 * checks and records that call itself, so the hook stays out of its way (no second receipt, no second
 * approval prompt).
 */
function throughGateway(toolName) {
  const m = /^mcp__(.+?)__/.exec(toolName);
  if (!m) return false;
  try {
    const run = readRun();
    const config = JSON.parse(readFileSync(join(projectDir, '.mcp.json'), 'utf8'));
    const url = String(config?.mcpServers?.[m[1]]?.url ?? '');
    return url.startsWith(`${run.url.replace(/\/+$/, '')}/api/v1/mcp/`);
  } catch {
    return false;
  }
}

async function pre() {
  let input;
  try {
    input = await readStdin();
  } catch (error) {
    // Without the payload we cannot tell a read from a write: block.
    process.stderr.write(`Mandate hook: could not read the hook input (${error.message}); blocking this call.\n`);
    process.exit(2);
  }
  const tool = String(input.tool_name ?? '');
  if (throughGateway(tool)) return print({ suppressOutput: true });
  try {
    const run = readRun();
    const answer = await call(hookUrl(run), run.runToken, input);
    print(answer);
  } catch (error) {
    if (READ_ONLY_TOOLS.has(tool)) {
      print({ systemMessage: `Mandate could not check ${tool} (${error.message}); read-only, so it runs, and its receipt will show it as unchecked.` });
      return;
    }
    print({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: `Mandate could not check this ${tool || 'tool'} call (${error.message}), so it is denied: the hook fails closed for anything that can change something.`,
      },
    });
  }
}

function spool(entry) {
  mkdirSync(stateDir, { recursive: true });
  appendFileSync(spoolFile, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
}

/** Receipts that could not be posted earlier; sent again first (the tool_use_id makes a re-send harmless). */
async function flushSpool(run) {
  if (!existsSync(spoolFile)) return;
  const pending = join(stateDir, `spool.${process.pid}.jsonl`);
  renameSync(spoolFile, pending);
  const lines = readFileSync(pending, 'utf8').split('\n').filter(Boolean);
  const failed = [];
  for (const line of lines) {
    try {
      await call(hookUrl(run), run.runToken, JSON.parse(line));
    } catch {
      failed.push(line);
    }
  }
  if (failed.length) appendFileSync(spoolFile, `${failed.join('\n')}\n`, { mode: 0o600 });
  unlinkSync(pending);
}

async function post() {
  const input = await readStdin();
  if (throughGateway(String(input.tool_name ?? ''))) return print({ suppressOutput: true });
  let run;
  try {
    run = readRun();
    await flushSpool(run);
    print(await call(hookUrl(run), run.runToken, input));
  } catch (error) {
    spool(input);
    print({ systemMessage: `Mandate did not take the receipt for ${input.tool_name} (${error.message}); it is kept in ${spoolFile} and sent with the next one.` });
  }
}

async function start(contract) {
  if (!contract) throw new Error('usage: node mandate-hook.mjs start MDT-<n>');
  const url = requireEnv('MANDATE_URL');
  const answer = await call(`${url}/api/v1/runs`, requireEnv('MANDATE_AGENT_TOKEN'), { contract });
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(runFile, JSON.stringify({ url, runId: answer.run.id, runToken: answer.runToken, contract: answer.run.contract, expiresAt: answer.runTokenExpiresAt }, null, 2), { mode: 0o600 });
  chmodSync(runFile, 0o600);
  console.log(`Started run ${answer.run.id} on ${answer.run.contract} (${answer.run.title}).\nRun page: ${answer.run.url}\nRun token saved in ${runFile} (it works for this run only, until ${answer.runTokenExpiresAt}).`);
}

function flag(args, name) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function finish(args) {
  const run = readRun();
  await flushSpool(run);
  const outcome = flag(args, 'outcome') ?? 'succeeded';
  const body = { outcome, summary: flag(args, 'summary') ?? '' };
  if (flag(args, 'patch')) body.patchRef = flag(args, 'patch');
  if (flag(args, 'cost-cents')) body.costCents = Number(flag(args, 'cost-cents'));
  // --check "npm test=passed" (repeatable): the contract's checks and how they went.
  body.checks = args.flatMap((a, i) => (a === '--check' && args[i + 1] ? [args[i + 1]] : [])).map((c) => {
    const at = c.lastIndexOf('=');
    return at > 0 ? { name: c.slice(0, at), command: c.slice(0, at), status: c.slice(at + 1) } : { name: c, command: c, status: 'passed' };
  });
  const answer = await call(`${run.url}/api/v1/runs/${run.runId}/finish`, run.runToken, body);
  console.log(`Run ${answer.run.id} ${answer.run.status}: ${answer.run.receipts} receipts, ${answer.run.violations} violation(s). Chain head ${answer.checkpoint.headHash.slice(0, 16)}… signed by ${answer.checkpoint.keyId}.`);
}

async function status() {
  const run = readRun();
  console.log(JSON.stringify(await call(`${run.url}/api/v1/runs/${run.runId}`, run.runToken, undefined, 'GET'), null, 2));
}

/** Shell exports of the current run, for MCP clients that authenticate to the gateway with the run token. */
function env() {
  const run = readRun();
  const quote = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;
  console.log(`export MANDATE_URL=${quote(run.url)}\nexport MANDATE_RUN_ID=${quote(run.runId)}\nexport MANDATE_RUN_TOKEN=${quote(run.runToken)}`);
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === 'pre') await pre();
  else if (command === 'post') await post();
  else if (command === 'start') await start(args[0]);
  else if (command === 'finish') await finish(args);
  else if (command === 'status') await status();
  else if (command === 'env') env();
  else {
    console.error('usage: node mandate-hook.mjs start MDT-<n> | pre | post | finish --outcome <o> [--patch <ref>] | status | env');
    process.exit(64);
  }
} catch (error) {
  process.stderr.write(`Mandate hook: ${error.message}\n`);
  // For a hook, exit code 2 blocks the call; for the other commands it is just a failure.
  process.exit(2);
}
