import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createRunnableContract } from '@/lib/testing/factories';
import { POST as startRoute } from '@/app/api/v1/runs/route';
import { POST as receiptsRoute } from '@/app/api/v1/runs/[id]/receipts/route';
import { POST as gatewayRoute } from '@/app/api/v1/mcp/[server]/route';
import { MAX_BODY_BYTES } from './api';

const BASE = 'http://mandate.test';

/** A body streamed in chunks with no Content-Length, larger than the limit. */
function streamed(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

describe('request body limit', () => {
  it('refuses an oversized body with 413 on the agent API and the MCP gateway, declared or streamed, and stores nothing', async () => {
    const fx = await createRunnableContract();
    const started = await startRoute(new Request(`${BASE}/api/v1/runs`, { method: 'POST', headers: { authorization: `Bearer ${fx.agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ contract: `MDT-${fx.contract.number}` }) }));
    const { run, runToken } = (await started.json()) as { run: { id: string }; runToken: string };
    const before = await db.evidenceReceipt.count({ where: { runId: run.id } });
    const headers = { authorization: `Bearer ${runToken}`, 'content-type': 'application/json' };

    const declared = await receiptsRoute(new Request(`${BASE}/api/v1/runs/${run.id}/receipts`, { method: 'POST', headers: { ...headers, 'content-length': String(MAX_BODY_BYTES + 1) }, body: '{}' }), { params: Promise.resolve({ id: run.id }) });
    expect(declared.status).toBe(413);
    const stream = await receiptsRoute(new Request(`${BASE}/api/v1/runs/${run.id}/receipts`, { method: 'POST', headers, body: streamed(MAX_BODY_BYTES + 1), duplex: 'half' } as RequestInit), { params: Promise.resolve({ id: run.id }) });
    expect(stream.status).toBe(413);
    expect(await db.evidenceReceipt.count({ where: { runId: run.id } })).toBe(before);

    const gateway = await gatewayRoute(
      new Request(`${BASE}/api/v1/mcp/${fx.server.slug}`, { method: 'POST', headers: { ...headers, accept: 'application/json, text/event-stream' }, body: streamed(MAX_BODY_BYTES + 1), duplex: 'half' } as RequestInit),
      { params: Promise.resolve({ server: fx.server.slug }) },
    );
    expect(gateway.status).toBe(413);
  });
});
