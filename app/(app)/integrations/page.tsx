import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { signingKey } from '@/lib/evidence/signing';
import { claudeHttpHooks, claudeSettings, HOOK_PATH } from '@/lib/runs/claude-settings';
import { pageOrigin } from '@/lib/server/origin';
import { MAX_BATCH } from '@/lib/runs/schema';
import { Card } from '@/components/ui/card';
import { claudeCodeMcpJson } from '@/lib/gateway/config';
import { listServers } from '@/lib/registry/queries';
import { CopyBlock } from '@/components/ui/copy-block';

export const metadata: Metadata = { title: 'Integrations' };

function Step({ n, title, children }: { n: number; title: string; children: React.ReactNode }) {
  return (
    <li className="grid grid-cols-[2rem_minmax(0,1fr)] gap-3">
      <span className="flex h-7 w-7 items-center justify-center rounded-full bg-brand-50 text-sm font-semibold text-brand-800 ring-1 ring-brand-100">{n}</span>
      <div className="space-y-2 text-sm text-slate-700">
        <h3 className="font-semibold text-slate-900">{title}</h3>
        {children}
      </div>
    </li>
  );
}

export default async function IntegrationsPage() {
  await requireUser();
  const origin = await pageOrigin();
  let key: { keyId: string; publicPem: string } | { error: string };
  try {
    const k = signingKey();
    key = { keyId: k.keyId, publicPem: k.publicPem };
  } catch (error) {
    key = { error: (error as Error).message };
  }
  const servers = await listServers();
  const viaGateway = servers.filter((s) => s.transport !== 'STDIO');
  const stdio = servers.filter((s) => s.transport === 'STDIO');
  const hooksOnly = { hooks: claudeSettings({ allowGlobs: [], blockGlobs: [], blockedItems: [], localCommands: [], checks: [], capabilities: [] }).hooks };

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold text-slate-900">Integrations</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Agents reach Mandate through the <Link href="/docs/api" className="text-brand-700 underline">agent API</Link>. For Claude Code there is a ready hook: before each tool call it asks the run&apos;s boundary and blocks what is out of scope, with the reason shown to the agent; after each call it posts a receipt into the run&apos;s evidence chain.
        </p>
      </header>

      <Card title="Claude Code hook">
        <ol className="space-y-5">
          <Step n={1} title="Get the hook script">
            <p>
              <a href="/integrations/mandate-hook.mjs" download className="font-medium text-brand-700 underline">Download mandate-hook.mjs</a> (Node 18+, no dependencies) into the repository, and keep the run state out of git:
            </p>
            <CopyBlock label="download commands" text={`mkdir -p .claude/hooks && curl -fsS ${origin}/integrations/mandate-hook.mjs -o ${HOOK_PATH}\necho ".mandate/" >> .gitignore`} />
          </Step>
          <Step n={2} title="Start a run on an approved contract">
            <p>With the agent identity&apos;s token (security makes one on the identity&apos;s page). The hook keeps the run token in <code className="font-mono text-xs">.mandate/run.json</code>; it works for this run only.</p>
            <CopyBlock label="start commands" text={`export MANDATE_URL=${origin}\nexport MANDATE_AGENT_TOKEN=mdt_…\nnode ${HOOK_PATH} start MDT-<number>`} />
          </Step>
          <Step n={3} title="Wire the hooks into .claude/settings.json">
            <p>
              Every run page offers the whole fragment for its contract: Claude Code&apos;s own permission rules (allow the file scope and commands, deny the blocks) plus these hooks. The hooks alone:
            </p>
            <CopyBlock label="hooks" testId="hooks-snippet" text={JSON.stringify(hooksOnly, null, 2)} />
          </Step>
          <Step n={4} title="Work, then finish the run">
            <CopyBlock label="finish command" text={`node ${HOOK_PATH} finish --outcome succeeded --patch https://github.com/<org>/<repo>/pull/<n> --summary "What changed" --check "npm test=passed"`} />
          </Step>
        </ol>
        <div className="mt-5 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          <p className="font-semibold">It fails closed.</p>
          <p className="mt-1">
            If Mandate cannot be reached, answers with an error, or the script itself fails, every tool call that can change something (edits, shell commands, MCP tools) is denied with that reason. Read-only tools still run; their receipts arrive later and show as unchecked calls. Receipts that could not be posted are kept in <code className="font-mono text-xs">.mandate/spool.jsonl</code> and sent with the next one.
          </p>
        </div>
      </Card>

      <Card title="MCP servers through the Mandate gateway">
        <p className="max-w-3xl text-sm text-slate-600">
          Point the agent&apos;s MCP servers at Mandate instead of at the servers themselves. The gateway shows the agent only the tools its contract grants, checks every call,
          holds the ones a person must approve, and writes each call into the run&apos;s evidence with secrets redacted: the agent does not have to report anything. The hook
          above stays out of calls that go through the gateway.
        </p>
        <ol className="mt-4 space-y-5">
          <Step n={1} title="After starting the run, export its token for the MCP client">
            <CopyBlock label="env command" text={`eval "$(node ${HOOK_PATH} env)"   # sets MANDATE_RUN_TOKEN, then start claude from this shell`} />
          </Step>
          <Step n={2} title="Use this .mcp.json in the repository">
            {viaGateway.length ? (
              <CopyBlock label="gateway .mcp.json" testId="gateway-mcp-json" text={claudeCodeMcpJson(origin, ...viaGateway.map((s) => s.slug))} />
            ) : (
              <p>No MCP server with an HTTP endpoint is registered yet.</p>
            )}
            <p className="text-xs text-slate-500">
              Every server&apos;s registry page has its own URL and a config for other MCP clients.
              {stdio.length > 0 && ` ${stdio.map((s) => s.name).join(', ')} ${stdio.length === 1 ? 'runs' : 'run'} over stdio on the agent's machine, where no gateway can sit: the hook checks those calls.`}
            </p>
          </Step>
        </ol>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Or: Mandate as an HTTP hook">
          <p className="text-sm text-slate-600">
            Claude Code versions with HTTP hooks can call the decision endpoint directly, no script. Set <code className="font-mono text-xs">MANDATE_RUN_TOKEN</code> to the run token. Note that Claude Code treats an unreachable HTTP hook as a non-blocking error, so the call proceeds: use the command hook above when you need fail-closed.
          </p>
          <div className="mt-3">
            <CopyBlock label="HTTP hooks" text={JSON.stringify(claudeHttpHooks(`${origin}/api/v1/runs/<run id>/hooks/claude-code`), null, 2)} />
          </div>
        </Card>

        <Card title="Evidence signing key">
          {'error' in key ? (
            <p className="text-sm text-red-800">{key.error}</p>
          ) : (
            <div className="space-y-3 text-sm text-slate-700">
              <p>
                When a run finishes (and every 1,000 receipts or 10 minutes on long runs) its chain head is signed with this Ed25519 key, which lives outside the database. Anyone with the public key can check a checkpoint offline.
              </p>
              <p>
                Key id <span data-testid="key-id" className="font-mono text-xs">{key.keyId}</span> · <a href="/api/evidence-key" className="text-brand-700 underline">download the public key</a>
              </p>
              <CopyBlock label="public key" text={key.publicPem.trim()} />
              <p className="text-xs text-slate-500">
                Verify every run from the server: <code className="font-mono">npm run evidence:verify</code> (or one run: <code className="font-mono">npm run evidence:verify -- &lt;run id&gt;</code>).
              </p>
            </div>
          )}
        </Card>
      </div>

      <Card title="Any agent: the API">
        <p className="text-sm text-slate-600">
          JSON over HTTPS with bearer tokens; every body validated, every error an RFC 9457 problem with field details. Batches hold up to {MAX_BATCH} receipts.{' '}
          <Link href="/docs/api" className="text-brand-700 underline">Endpoints</Link> · <a href="/api/v1/openapi.json" className="text-brand-700 underline">OpenAPI document</a>
        </p>
        <div className="mt-3">
          <CopyBlock
            label="curl example"
            text={`curl -s -X POST ${origin}/api/v1/runs -H "Authorization: Bearer $MANDATE_AGENT_TOKEN" -H 'Content-Type: application/json' -d '{"contract":"MDT-12"}'\n\ncurl -s -X POST ${origin}/api/v1/runs/$RUN_ID/check -H "Authorization: Bearer $RUN_TOKEN" -H 'Content-Type: application/json' \\\n  -d '{"action":{"type":"file_write","path":"src/billing/export.ts"},"toolUseId":"toolu_1"}'`}
          />
        </div>
      </Card>
    </div>
  );
}
