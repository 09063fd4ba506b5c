import { z } from 'zod';
import { MAX_BATCH, MAX_PAYLOAD_BYTES, CheckInput, ClaudeHookInput, FinishInput, ReceiptBatchInput, ReceiptInput, StartRunInput } from './schema';

/** The agent API as OpenAPI 3.1, generated from the same zod schemas the handlers validate with. */

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details. `errors` maps a field path (e.g. `receipts.3.payload.path`) to its messages.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
  },
  required: ['type', 'title', 'status'],
};

const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      {
        description: ({ 400: 'The body is not JSON or does not match the schema; nothing was stored.', 401: 'Missing, unknown, expired or dead token.', 403: 'The token may not do this (another run, another identity, suspended or killed identity).', 404: 'Not found.', 409: 'The state does not allow it (contract not approved, run finished, kill switch on).', 413: 'The body is too large.', 429: 'Rate limit for this token; see Retry-After.' } as Record<number, string>)[code],
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        ...(code === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds until the window resets.' } } } : {}),
      },
    ]),
  );

const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const ok = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const runId = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The run id from the start answer.' }];

export function openApiDocument(origin: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mandate agent API',
      version: '1',
      description: `Agents start runs on approved contracts, ask the boundary before acting, post evidence receipts into a hash chain, and finish with results. Batches hold at most ${MAX_BATCH} receipts; one payload at most ${MAX_PAYLOAD_BYTES / 1024} KB. Rate limit: per token, per minute (AGENT_RATE_LIMIT_PER_MINUTE, default 600).`,
    },
    servers: [{ url: origin }],
    components: {
      securitySchemes: {
        agentToken: { type: 'http', scheme: 'bearer', description: 'An agent identity token (mdt_…), made by security on the identity page.' },
        runToken: { type: 'http', scheme: 'bearer', description: 'The run token (mdr_…) from POST /api/v1/runs; works for that run only, until it finishes or its wall time (plus 15 min) ends.' },
      },
      schemas: { Problem: problemSchema },
    },
    paths: {
      '/api/v1/me': { get: { summary: 'Who this agent token belongs to', security: [{ agentToken: [] }], responses: { 200: ok('The identity and its tool profile.'), ...problems(401, 403, 429) } } },
      '/api/v1/runs': {
        post: {
          summary: 'Start a run on an approved (or Low and ready) contract',
          security: [{ agentToken: [] }],
          requestBody: body(json(StartRunInput)),
          responses: { 201: ok('The run, its run token (shown once), budget and endpoints.'), ...problems(400, 401, 403, 404, 409, 429) },
        },
      },
      '/api/v1/runs/{id}': { get: { summary: 'The run as its agent sees it', parameters: runId, security: [{ runToken: [] }], responses: { 200: ok('Status, chain head, budget spent, violations.'), ...problems(401, 403, 429) } } },
      '/api/v1/runs/{id}/check': {
        post: {
          summary: 'Is this intended action inside the boundary? allow / deny / needs_approval with reasons',
          parameters: runId,
          security: [{ runToken: [] }],
          requestBody: body(json(CheckInput)),
          responses: { 200: ok('The decision, its reasons and the budget spent.'), ...problems(400, 401, 403, 429) },
        },
      },
      '/api/v1/runs/{id}/receipts': {
        post: {
          summary: `Append evidence receipts (one, or a batch of up to ${MAX_BATCH}); idempotent per key`,
          parameters: runId,
          security: [{ runToken: [] }],
          requestBody: body({ oneOf: [json(ReceiptBatchInput), json(ReceiptInput)] }),
          responses: { 200: ok('Per receipt: seq, hash, duplicate, violation.'), ...problems(400, 401, 403, 409, 413, 429) },
        },
      },
      '/api/v1/runs/{id}/finish': {
        post: {
          summary: 'Finish the run; signs the chain head and ends the run token',
          parameters: runId,
          security: [{ runToken: [] }],
          requestBody: body(json(FinishInput)),
          responses: { 200: ok('The finished run and its signed checkpoint.'), ...problems(400, 401, 403, 409, 429) },
        },
      },
      '/api/v1/runs/{id}/hooks/claude-code': {
        post: {
          summary: 'Claude Code hook input in, hook output out (PreToolUse → decision, PostToolUse → receipt)',
          parameters: runId,
          security: [{ runToken: [] }],
          requestBody: body(json(ClaudeHookInput)),
          responses: { 200: ok('Claude Code hook output JSON.'), ...problems(400, 401, 403, 409, 429) },
        },
      },
      '/api/evidence-key': { get: { summary: 'The public key that verifies signed checkpoints (PEM)', responses: { 200: { description: 'PEM; X-Key-Id names the key.', content: { 'application/x-pem-file': { schema: { type: 'string' } } } } } } },
    },
  };
}
