import { currentActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { AuditQuery } from '@/lib/audit/schema';
import { auditRowsForExport } from '@/lib/audit/queries';
import { csvLine } from '@/lib/audit/csv';

/** CSV of the audit events matching the page's filters, streamed in batches. */
export async function GET(request: Request) {
  const actor = await currentActor();
  if (!actor) return new Response('Sign in to export the audit log.', { status: 401 });
  if (!can(actor.roles, 'audit:read')) return new Response('Your role does not include the audit log.', { status: 403 });
  const parsed = AuditQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return new Response(`The filters are not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { status: 400 });
  const query = parsed.data;
  const encoder = new TextEncoder();
  const rows = auditRowsForExport(query);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(['id', 'time_utc', 'actor', 'actor_email', 'action', 'target_type', 'target_id', 'before', 'after'])));
    },
    async pull(controller) {
      const next = await rows.next();
      if (next.done) return controller.close();
      controller.enqueue(
        encoder.encode(
          next.value
            .map((r) => csvLine([r.id.toString(), r.createdAt.toISOString(), r.actor?.name ?? r.actorAgent ?? 'Mandate', r.actor?.email ?? '', r.action, r.targetType, r.targetId, r.before, r.after]))
            .join(''),
        ),
      );
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, { headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="mandate-audit-${stamp}.csv"`, 'Cache-Control': 'no-store' } });
}
