import { currentActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { DashboardQuery, dashboardFigures, figuresCsv } from '@/lib/dashboard/queries';

/** The dashboard's figures for the same filters, as CSV. */
export async function GET(request: Request) {
  const actor = await currentActor();
  if (!actor) return Response.json({ title: 'Sign in first.' }, { status: 401 });
  if (!can(actor.roles, 'dashboard:read')) return Response.json({ title: 'The dashboard is for leaders and admins.' }, { status: 403 });
  const parsed = DashboardQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ title: 'The filters are not valid.', errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, { status: 400 });
  const figures = await dashboardFigures(parsed.data);
  const name = `mandate-dashboard-${figures.query.team || 'all'}-${figures.query.period}.csv`;
  return new Response(figuresCsv(figures), { headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' } });
}
