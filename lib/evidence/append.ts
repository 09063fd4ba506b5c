import { randomUUID } from 'node:crypto';
import { pgTransaction, type Sql, type Tx } from '@/lib/db';
import { actionOfReceipt, CALL_ACTIONS, receiptFinding, type Decision, type ReceiptFinding } from '@/lib/domain/boundary';
import { chainedFields, GENESIS_HASH, receiptHash, type ChainedReceipt } from '@/lib/domain/evidence-chain';
import type { ReceiptKind } from '@/lib/generated/prisma/enums';
import { isStorableText, storableText } from '@/lib/domain/storable-text';
import type { RunContext } from '@/lib/runs/context';
import { AppError } from '@/lib/server/errors';
import { signCheckpoint } from './signing';

export type ReceiptDraft = {
  kind: ReceiptKind;
  payload: Record<string, unknown>;
  clientTimestamp: Date;
  idempotencyKey: string;
  toolUseId: string | null;
  /** A violation the app itself records (a kill switch thrown mid-run), on top of what the boundary finds. */
  violation?: string;
};

export type AppendedReceipt = { idempotencyKey: string; seq: number; hash: string; duplicate: boolean; violation: string | null };
export type AppendResult = { stored: number; duplicates: number; violations: number; headHash: string; receipts: AppendedReceipt[] };

/** Long runs get a signed checkpoint every this many receipts, or after this long, whichever comes first. */
export const CHECKPOINT_EVERY_RECEIPTS = 1000;
export const CHECKPOINT_EVERY_MS = 10 * 60_000;

/** Run.costCents is a Postgres integer. */
const MAX_COST_CENTS = 2_147_483_647;

const VERDICT_DECISION = { ALLOW: 'allow', DENY: 'deny', NEEDS_APPROVAL: 'needs_approval' } as const satisfies Record<string, Decision>;

/**
 * The hot path speaks plain parameterised SQL through one small interface, so the same code runs on
 * a pooled pg connection (receipt ingest: no ORM overhead on a 100-row batch) and inside a Prisma
 * interactive transaction (starting and finishing a run, where the receipt is one step of more).
 * Timestamps go in as ISO strings: a `timestamp(3)` column keeps their UTC wall time, as Prisma does.
 */
export type { Sql };

export function prismaSql(tx: Tx): Sql {
  return { query: <T>(text: string, params: unknown[]) => tx.$queryRawUnsafe<T[]>(text, ...params) };
}

type LockedRun = { status: string; receiptCount: number; headHash: string | null; toolCalls: number; costCents: number; checkpointedSeq: number; checkpointedAtMs: number | null };

/**
 * What Postgres will give back for this payload: JSON-normalised, so the hash covers exactly what is
 * stored. Text jsonb cannot hold (NUL, a lone surrogate, e.g. left by cutting a long string in the
 * middle of an emoji) becomes U+FFFD: agents cannot send it (the schema refuses it), but payloads
 * Mandate builds (a hook's clipped input, an upstream's error text) must not fail to be recorded.
 */
function storedForm(payload: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.stringify(payload);
  if (!/\\u0000|\\ud[89a-f]/i.test(json)) return JSON.parse(json) as Record<string, unknown>;
  return JSON.parse(json, (_key, value: unknown) => {
    if (typeof value === 'string') return storableText(value);
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some((k) => !isStorableText(k))) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), v]));
    }
    return value;
  }) as Record<string, unknown>;
}

const placeholders = (row: number, width: number) => Array.from({ length: width }, (_, i) => `$${row * width + i + 1}`);

/** Signs the chain head as a checkpoint, inside the caller's transaction. */
export async function writeCheckpoint(sql: Sql, runId: string, seq: number, headHash: string, now = new Date()) {
  const signed = signCheckpoint({ runId, seq, headHash });
  await sql.query('INSERT INTO "SignedCheckpoint" ("id", "runId", "seq", "headHash", "keyId", "signature", "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    randomUUID(),
    runId,
    seq,
    headHash,
    signed.keyId,
    signed.signature,
    now.toISOString(),
  ]);
  await sql.query('UPDATE "Run" SET "checkpointedSeq" = $1, "checkpointedAt" = $2 WHERE "id" = $3', [seq, now.toISOString(), runId]);
  return signed;
}

/**
 * Appends receipts to a run's hash chain, all or nothing. The run row is locked (SELECT … FOR UPDATE)
 * for the length of the transaction, so concurrent appends queue up behind each other and the chain
 * never forks. A key already stored (or repeated in the batch) is answered with the stored receipt
 * and not stored again. Each new receipt is checked against the boundary: violations are stored on
 * the receipt, counted on the run, audited, and security is told once per append.
 */
export async function appendReceipts(ctx: RunContext, drafts: ReceiptDraft[], options: { allowFinished?: boolean; sql?: Sql } = {}): Promise<AppendResult> {
  const work = async (sql: Sql): Promise<AppendResult> => {
    const [run] = await sql.query<LockedRun>(
      `SELECT "status"::text AS "status", "receiptCount", "headHash", "toolCalls", "costCents", "checkpointedSeq",
              (EXTRACT(EPOCH FROM "checkpointedAt") * 1000)::float8 AS "checkpointedAtMs"
       FROM "Run" WHERE "id" = $1 FOR UPDATE`,
      [ctx.runId],
    );
    if (!run) throw new AppError('NOT_FOUND', 'This run does not exist.');
    if (run.status !== 'STARTED' && !options.allowFinished) throw new AppError('CONFLICT', `This run has finished (${run.status.toLowerCase()}); it takes no more receipts.`);

    const keys = [...new Set(drafts.map((d) => d.idempotencyKey))];
    const existing = await sql.query<{ idempotencyKey: string; seq: number; hash: string; violationReason: string | null }>(
      // One unique-index probe per key: LATERAL … LIMIT 1 keeps the planner from scanning the whole
      // run when its row estimate is stale (a run grows fast, and statistics lag behind it).
      `SELECT e."idempotencyKey", e."seq", e."hash", e."violationReason"
       FROM unnest($2::text[]) AS k("key")
       CROSS JOIN LATERAL (SELECT "idempotencyKey", "seq", "hash", "violationReason" FROM "EvidenceReceipt"
                           WHERE "runId" = $1 AND "idempotencyKey" = k."key" LIMIT 1) e`,
      [ctx.runId, keys],
    );
    const known = new Map(existing.map((r) => [r.idempotencyKey, { seq: r.seq, hash: r.hash, violation: r.violationReason }]));

    const toolUseIds = [...new Set(drafts.flatMap((d) => (d.toolUseId ? [d.toolUseId] : [])))];
    const checks = toolUseIds.length
      ? await sql.query<{ toolUseId: string; verdict: keyof typeof VERDICT_DECISION }>(
          `SELECT b."toolUseId", b."verdict"::text AS "verdict"
           FROM unnest($2::text[]) AS k("key")
           CROSS JOIN LATERAL (SELECT "id", "toolUseId", "verdict" FROM "BoundaryCheck"
                               WHERE "runId" = $1 AND "toolUseId" = k."key" ORDER BY "id" DESC LIMIT 1) b`,
          [ctx.runId, toolUseIds],
        )
      : [];
    const prior = new Map(checks.map((c) => [c.toolUseId, VERDICT_DECISION[c.verdict]]));

    const receivedAt = new Date();
    let seq = run.receiptCount;
    let head = run.headHash ?? GENESIS_HASH;
    let { toolCalls, costCents } = run;
    let violations = 0;
    let unchecked = 0;
    const values: unknown[] = [];
    const rows: string[] = [];
    const answers: AppendedReceipt[] = [];
    const mcpCalls = new Map<string, { server: string; tool: string; calls: number }>();

    for (const draft of drafts) {
      const stored = known.get(draft.idempotencyKey);
      if (stored) {
        answers.push({ idempotencyKey: draft.idempotencyKey, seq: stored.seq, hash: stored.hash, duplicate: true, violation: stored.violation });
        continue;
      }
      const payload = storedForm(draft.payload);
      const finding: ReceiptFinding = receiptFinding(
        ctx.boundary,
        { kind: draft.kind, payload, toolUseId: draft.toolUseId },
        draft.toolUseId ? (prior.get(draft.toolUseId) ?? null) : undefined,
        { ...ctx.state, toolCalls, costCents },
      );
      if (draft.violation) finding.violation = finding.violation ? `${draft.violation}. ${finding.violation}` : draft.violation;
      const action = actionOfReceipt(draft.kind, payload);
      if (action && CALL_ACTIONS.includes(action.type)) toolCalls++;
      // Saturates at the column's limit (a 32-bit integer): a run past ~$21M has spent any budget there is.
      if (draft.kind === 'COST' && typeof payload.cents === 'number') costCents = Math.min(MAX_COST_CENTS, costCents + Math.round(payload.cents));
      if (action?.type === 'mcp_tool') {
        const key = `${action.server}\u0000${action.tool}`;
        const use = mcpCalls.get(key) ?? { server: action.server, tool: action.tool, calls: 0 };
        use.calls++;
        mcpCalls.set(key, use);
      }
      if (finding.violation) violations++;
      if (finding.unchecked) unchecked++;

      seq++;
      const fields: ChainedReceipt = chainedFields({
        runId: ctx.runId,
        seq,
        kind: draft.kind,
        payload,
        clientTimestamp: draft.clientTimestamp.toISOString(),
        receivedAt: receivedAt.toISOString(),
        idempotencyKey: draft.idempotencyKey,
        toolUseId: draft.toolUseId,
        violation: finding.violation !== null,
        violationReason: finding.violation,
      });
      const hash = receiptHash(head, fields);
      const p = placeholders(rows.length, 12);
      rows.push(`(${p[0]}, ${p[1]}, ${p[2]}::"ReceiptKind", ${p[3]}::jsonb, ${p.slice(4).join(', ')})`);
      values.push(ctx.runId, seq, draft.kind, JSON.stringify(payload), fields.clientTimestamp, fields.receivedAt, draft.idempotencyKey, draft.toolUseId, fields.violation, fields.violationReason, head, hash);
      known.set(draft.idempotencyKey, { seq, hash, violation: finding.violation });
      answers.push({ idempotencyKey: draft.idempotencyKey, seq, hash, duplicate: false, violation: finding.violation });
      head = hash;
    }

    if (rows.length) {
      await sql.query(
        `INSERT INTO "EvidenceReceipt" ("runId", "seq", "kind", "payload", "clientTimestamp", "receivedAt", "idempotencyKey", "toolUseId", "violation", "violationReason", "prevHash", "hash") VALUES ${rows.join(', ')}`,
        values,
      );
      await sql.query(
        `UPDATE "Run" SET "receiptCount" = $1, "headHash" = $2, "toolCalls" = $3, "costCents" = $4, "violationCount" = "violationCount" + $5, "uncheckedCalls" = "uncheckedCalls" + $6 WHERE "id" = $7`,
        [seq, head, toolCalls, costCents, violations, unchecked, ctx.runId],
      );
      if (mcpCalls.size) {
        const uses = [...mcpCalls.values()];
        await sql.query(
          `INSERT INTO "RunMcpUsage" ("runId", "server", "tool", "calls")
           SELECT $1, u.server, u.tool, u.calls FROM unnest($2::text[], $3::text[], $4::int[]) AS u(server, tool, calls)
           ON CONFLICT ("runId", "server", "tool") DO UPDATE SET "calls" = "RunMcpUsage"."calls" + EXCLUDED."calls"`,
          [ctx.runId, uses.map((u) => u.server), uses.map((u) => u.tool), uses.map((u) => u.calls)],
        );
      }
      const due = seq - run.checkpointedSeq >= CHECKPOINT_EVERY_RECEIPTS || (run.checkpointedAtMs !== null && receivedAt.getTime() - run.checkpointedAtMs >= CHECKPOINT_EVERY_MS);
      if (due && run.status === 'STARTED') await writeCheckpoint(sql, ctx.runId, seq, head, receivedAt);
    }

    if (violations) {
      const flagged = answers.filter((a) => !a.duplicate && a.violation);
      await sql.query('INSERT INTO "AuditEvent" ("actorAgent", "action", "targetType", "targetId", "after") VALUES ($1, $2, $3, $4, $5::jsonb)', [
        ctx.identityName,
        'run.boundary-violation',
        'Run',
        ctx.runId,
        JSON.stringify({ contract: ctx.contractRef, count: violations, unchecked, receipts: flagged.slice(0, 20).map((a) => ({ seq: a.seq, reason: a.violation })) }),
      ]);
      // Security hears of it once per append, not once per receipt.
      await sql.query(
        `INSERT INTO "Notification" ("id", "userId", "kind", "title", "body", "href")
         SELECT gen_random_uuid()::text, u."id", $1, $2, $3, $4 FROM "User" u WHERE u."active" AND 'SECURITY'::"Role" = ANY(u."roles")`,
        [
          'run.violation',
          `${ctx.contractRef}: ${violations === 1 ? 'a boundary violation' : `${violations} boundary violations`} by ${ctx.identityName}`,
          flagged[0]!.violation!.slice(0, 300),
          `/runs/${ctx.runId}`,
        ],
      );
    }

    const stored = rows.length;
    return { stored, duplicates: drafts.length - stored, violations, headHash: head, receipts: answers };
  };
  return options.sql ? work(options.sql) : pgTransaction(work);
}
