import { db } from '@/lib/db';

export const dynamic = 'force-dynamic';

/** Liveness and database readiness, for load balancers and `npm start`. Says nothing else. */
export async function GET() {
  try {
    await db.$queryRaw`SELECT 1`;
    return Response.json({ status: 'ok', database: 'ready' });
  } catch {
    return Response.json({ status: 'degraded', database: 'unavailable' }, { status: 503, headers: { 'Retry-After': '5' } });
  }
}
