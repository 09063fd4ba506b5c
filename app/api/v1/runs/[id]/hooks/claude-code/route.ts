import { hookAction, hookReceipt, postToolUseOutput, preToolUseOutput } from '@/lib/runs/claude-code';
import { checkAction } from '@/lib/runs/commands';
import { appendReceipts } from '@/lib/evidence/append';
import { defineRunApi } from '@/lib/runs/api';
import { ClaudeHookInput } from '@/lib/runs/schema';

/**
 * Claude Code's hook payload in, Claude Code's hook output out: usable directly as an HTTP hook, and
 * what the downloadable command hook forwards to. PreToolUse asks the boundary; PostToolUse stores a receipt.
 */
export const POST = defineRunApi(ClaudeHookInput, async (input, run) => {
  if (input.hook_event_name === 'PreToolUse') {
    const verdict = await checkAction(run, { action: hookAction(input), toolUseId: input.tool_use_id });
    return preToolUseOutput(verdict);
  }
  const result = await appendReceipts(run, [hookReceipt(input, new Date())]);
  return postToolUseOutput(result.receipts[0]?.violation ?? null);
});
