import { currentActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { buildPacket } from '@/lib/packets/build';
import { packetMarkdown } from '@/lib/packets/markdown';

/** The packet as Markdown (?format=md) or JSON (?format=json, with receipts and the signed checkpoint). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor) return Response.json({ title: 'Sign in first.' }, { status: 401 });
  if (!can(actor.roles, 'run:read')) return Response.json({ title: 'Your roles do not include reading runs.' }, { status: 403 });
  const { id } = await params;
  const built = await buildPacket(id);
  if (!built) return Response.json({ title: 'No such run.' }, { status: 404 });
  const format = new URL(request.url).searchParams.get('format') === 'md' ? 'md' : 'json';
  const name = `${built.content.contract.ref}-packet${built.frozen ? `-v${built.packetVersion}` : '-draft'}`;
  if (format === 'md') {
    return new Response(packetMarkdown(built.content, { frozen: built.frozen, version: built.packetVersion }), {
      headers: { 'Content-Type': 'text/markdown; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.md"`, 'Cache-Control': 'no-store' },
    });
  }
  return new Response(JSON.stringify(built.export, null, 2), {
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.json"`, 'Cache-Control': 'no-store' },
  });
}
