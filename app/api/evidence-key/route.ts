import { signingKey } from '@/lib/evidence/signing';

/** The public half of the evidence signing key: what an auditor needs to check signed checkpoints offline. */
export function GET() {
  const key = signingKey();
  return new Response(key.publicPem, { headers: { 'Content-Type': 'application/x-pem-file', 'X-Key-Id': key.keyId, 'Cache-Control': 'public, max-age=300' } });
}
