import { z } from 'zod';
import { PacketExport } from '@/lib/packets/schema';

/** JSON Schema (draft 2020-12) of the packet's JSON export, generated from the zod schema the export is built to. */
export function GET() {
  const schema = { ...z.toJSONSchema(PacketExport, { target: 'draft-2020-12', unrepresentable: 'any' }), $id: 'mandate.review-packet.v1', title: 'Mandate review packet export' };
  return Response.json(schema, { headers: { 'Cache-Control': 'public, max-age=3600' } });
}
