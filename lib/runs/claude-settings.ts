import type { Boundary } from '@/lib/domain/boundary';
import { effectiveBlocks } from '@/lib/domain/risk';

/**
 * The `.claude/settings.json` fragment for a contract: Claude Code's own permission rules made from
 * the approved boundary, plus the Mandate hooks. Deny rules are enforced by Claude Code itself even
 * when a hook is skipped, so the local guard rails and the approved boundary are the same thing.
 * Read/Edit rules follow gitignore patterns, `/path` anchored at the project root.
 */

export const HOOK_PATH = '.claude/hooks/mandate-hook.mjs';

/** Commands whose kind the contract never allows unless it lists them (deploys, schema changes). */
const DANGEROUS_COMMANDS = [
  'kubectl apply', 'kubectl delete', 'helm upgrade', 'helm install', 'terraform apply', 'terraform destroy',
  'prisma migrate', 'npx prisma migrate', 'prisma db push', 'npx prisma db push', 'fly deploy', 'vercel --prod',
];

const anchored = (glob: string) => `/${glob.replace(/^\/+/, '')}`;
const bash = (command: string) => [`Bash(${command})`, `Bash(${command} *)`];

export type SettingsBoundary = Pick<Boundary, 'allowGlobs' | 'blockGlobs' | 'blockedItems' | 'localCommands' | 'checks' | 'capabilities'>;

export function claudeSettings(boundary: SettingsBoundary) {
  const blocks = [...new Set(effectiveBlocks(boundary))];
  const commands = [...new Set([...boundary.localCommands, ...boundary.checks].map((c) => c.trim()).filter(Boolean))];
  const mcp = (c: SettingsBoundary['capabilities'][number]) => `mcp__${c.server}__${c.toolName}`;
  const usable = boundary.capabilities.filter((c) => !c.serverKilled && c.policy !== 'BLOCKED' && !(c.access === 'WRITE' && boundary.blockedItems.includes('write-mcp-tools')));
  const hook = (event: 'pre' | 'post') => [{ matcher: '*', hooks: [{ type: 'command', command: `node "$CLAUDE_PROJECT_DIR/${HOOK_PATH}" ${event}`, timeout: 15 }] }];
  return {
    permissions: {
      allow: [
        ...boundary.allowGlobs.map((g) => `Edit(${anchored(g)})`),
        ...commands.flatMap(bash),
        ...usable.filter((c) => !(c.policy === 'NEEDS_APPROVAL' && c.access === 'WRITE')).map(mcp),
      ],
      ask: usable.filter((c) => c.policy === 'NEEDS_APPROVAL' && c.access === 'WRITE').map(mcp),
      deny: [
        ...blocks.flatMap((g) => [`Read(${anchored(g)})`, `Edit(${anchored(g)})`]),
        ...DANGEROUS_COMMANDS.filter((d) => !commands.some((c) => c.startsWith(d))).flatMap(bash),
        ...boundary.capabilities.filter((c) => !usable.includes(c)).map(mcp),
      ],
    },
    hooks: { PreToolUse: hook('pre'), PostToolUse: hook('post') },
  };
}

/** The same decision endpoint as a Claude Code HTTP hook (no script; note that HTTP hooks fail open when the app is unreachable). */
export function claudeHttpHooks(hookUrl: string) {
  const entry = [{ matcher: '*', hooks: [{ type: 'http', url: hookUrl, headers: { Authorization: 'Bearer $MANDATE_RUN_TOKEN' }, allowedEnvVars: ['MANDATE_RUN_TOKEN'], timeout: 15 }] }];
  return { hooks: { PreToolUse: entry, PostToolUse: entry } };
}
