import { z } from 'zod';
import { currentActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { listQueue, queueCounts } from '@/lib/approvals/queries';

const Query = z.object({ scope: z.enum(['mine', 'role']).default('mine') });

/** The approver queues, for the page's polling. Session and role are checked here, not by the page. */
export async function GET(request: Request) {
  const actor = await currentActor();
  if (!actor) return Response.json({ error: 'Sign in to see your queue.' }, { status: 401 });
  if (!can(actor.roles, 'approval:decide') && !can(actor.roles, 'approval:cosign')) {
    return Response.json({ error: 'Your role does not decide approvals.' }, { status: 403 });
  }
  const parsed = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: 'scope must be mine or role' }, { status: 400 });
  const [items, counts] = await Promise.all([listQueue(actor, parsed.data.scope), queueCounts(actor)]);
  return Response.json({ items, counts }, { headers: { 'Cache-Control': 'no-store' } });
}
