import { openApiDocument } from '@/lib/runs/openapi';
import { publicOrigin } from '@/lib/server/origin';

export function GET(request: Request) {
  return Response.json(openApiDocument(publicOrigin(request)), { headers: { 'Cache-Control': 'public, max-age=300' } });
}
