import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createScratchDatabase } from '@/scripts/db/database';
import { applyMigrations } from '@/scripts/db/engine';
import { closeDb, db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { keyIdOf } from '@/lib/evidence/checkpoint';
import { appendReceipts, type ReceiptDraft } from '@/lib/evidence/append';
import { verifyRunEvidence, type RunEvidenceVerdict } from '@/lib/evidence/verify';
import { submitContract } from '@/lib/contracts/commands';
import { SubmitContractInput } from '@/lib/contracts/schema';
import { decideApproval } from '@/lib/approvals/commands';
import { checkAction, finishRun, startRun } from '@/lib/runs/commands';
import { runContextById } from '@/lib/runs/context';
import { contractInput, createActor, createAgentIdentity, createRunnableContract, ensureSensitiveAreas } from '@/lib/testing/factories';
import { readCatalog } from './catalog';
import { checkArchive } from './check';
import { exportDatabase, type ExportSummary } from './export';
import { CREDENTIAL_COLUMNS, unclassifiedCredentialColumns, type EvidencePublicKey } from './format';
import { restoreDatabase } from './restore';

vi.mock('next/cache', () => ({ revalidatePath: vi.fn() }));

const dir = mkdtempSync(join(tmpdir(), 'mandate-backup-'));
const scratches: { url: string; drop(): Promise<void> }[] = [];
const signingPublic = () => createPublicKey(createPrivateKey(process.env.EVIDENCE_SIGNING_KEY!));
const keys = () => new Map([[keyIdOf(signingPublic()), signingPublic()]]);
const publicKeys = (): EvidencePublicKey[] => [{ keyId: keyIdOf(signingPublic()), publicKeyPem: signingPublic().export({ type: 'spki', format: 'pem' }).toString(), source: 'test' }];

async function scratch(migrated: boolean) {
  const s = await createScratchDatabase(inject('databaseUrl'), 'mandate_backup');
  scratches.push(s);
  if (migrated) await applyMigrations(s.url);
  return s.url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function catalogOf(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await readCatalog(client);
  } finally {
    await client.end();
  }
}

/**
 * A dump that does not go through the export code: every table's row count and the MD5 of its rows'
 * text form (Postgres' own record output, every column), sorted; plus every owned sequence's state.
 */
async function canonicalDump(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const catalog = await readCatalog(client);
    const tables: Record<string, { rows: number; md5: string | null }> = {};
    for (const t of catalog.tables) {
      const [row] = (await client.query(`SELECT count(*)::int AS "rows", md5(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE "C")) AS "md5" FROM "${t.name}" t`)).rows;
      tables[t.name] = row;
    }
    const sequences: Record<string, unknown> = {};
    for (const s of catalog.sequences) sequences[s.name] = (await client.query(`SELECT last_value::text, is_called FROM "${s.name}"`)).rows[0];
    return { tables, sequences };
  } finally {
    await client.end();
  }
}

/** Points the app's db client (which verifyRunEvidence uses) at another database for a while. */
async function onDatabase<T>(url: string, work: () => Promise<T>): Promise<T> {
  const previous = process.env.DATABASE_URL;
  await closeDb();
  process.env.DATABASE_URL = url;
  try {
    return await work();
  } finally {
    await closeDb();
    process.env.DATABASE_URL = previous;
  }
}

async function verifyAll(url: string): Promise<RunEvidenceVerdict[]> {
  return onDatabase(url, async () => {
    const runs = await db.run.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    const verdicts = [];
    for (const r of runs) verdicts.push(await verifyRunEvidence(r.id, keys()));
    return verdicts;
  });
}

/** Decompresses an archive, lets `edit` change its lines, writes it back (one gzip member). */
function rewrite(file: string, out: string, edit: (lines: string[]) => void): string {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  edit(lines);
  writeFileSync(out, gzipSync(lines.join('\n')));
  return out;
}

const receipt = (i: number, over: Partial<ReceiptDraft> = {}): ReceiptDraft => ({
  kind: 'FILE_WRITE',
  payload: { path: `src/billing/ünïcødé-${i}.ts`, note: 'two\nlines, "quoted", \u2028 and ✓', nested: { n: i + 0.5, list: [1, null, 'x'] } },
  clientTimestamp: new Date(Date.UTC(2026, 10, 24, 19, 33, 13, i % 1000)),
  idempotencyKey: `k-${i}`,
  toolUseId: null,
  ...over,
});

let sourceUrl: string;
let runIds: { finished: string; running: string };

/** Realistic data through the app's own commands: approvals, runs with receipts and checkpoints, audit events. */
async function seed() {
  await ensureSensitiveAreas();
  const requester = await createActor(['REQUESTER']);
  const approver = await createActor(['APPROVER']);
  const security = await createActor(['SECURITY', 'APPROVER']);
  const identity = await createAgentIdentity();
  const high = await submitContract(requester, SubmitContractInput.parse(contractInput(identity.id, { allowGlobs: 'billing/export/**', namedApproverId: approver.id })), null);
  for (const [actor, kind] of [[approver, 'APPROVER'], [security, 'SECURITY_COSIGN']] as const) {
    const request = await db.approvalRequest.findFirstOrThrow({ where: { contractId: high.id, kind, status: 'PENDING' } });
    await decideApproval(actor, { requestId: request.id, outcome: 'APPROVE', reason: 'Checked the scope, the tests and the rollback plan.' });
  }

  const started = async () => {
    const fx = await createRunnableContract({ tools: [{ name: 'get_issue' }] });
    const token = await db.agentToken.findFirstOrThrow({ where: { identityId: fx.identity.id } });
    const agent = { identityId: fx.identity.id, identityName: fx.identity.name, tokenId: token.id, tokenPrefix: token.prefix };
    const run = await startRun(agent, { contract: `MDT-${fx.contract.number}` }, 'http://mandate.test');
    return { ...fx, token, runId: run.run.id, ctx: async () => (await runContextById(run.run.id))! };
  };

  const done = await started();
  await checkAction(await done.ctx(), { action: { type: 'file_write', path: 'src/billing/a.ts' }, toolUseId: 'tu-1' });
  await appendReceipts(await done.ctx(), [
    ...Array.from({ length: 60 }, (_, i) => receipt(i)),
    receipt(60, { kind: 'MCP_CALL', payload: { server: done.server.slug, tool: 'get_issue', arguments: { id: 7 } } }),
    receipt(61, { toolUseId: 'tu-1' }),
  ]);
  await finishRun(await done.ctx(), { outcome: 'succeeded', summary: 'Exported refunds as CSV.', checks: [{ name: 'tests', command: 'npm test', status: 'passed', detail: '' }], patchRef: 'abc1234' });

  const running = await started();
  await appendReceipts(await running.ctx(), [receipt(0), receipt(1, { payload: { path: 'src/auth/session.ts' } }), receipt(2, { kind: 'COST', payload: { cents: 12 } })]);

  // A token rotation whose new token sorts before the old one: the table references itself "forwards".
  const old = await db.agentToken.create({ data: { id: 'zz-rotated-old', identityId: done.identity.id, name: 'old', prefix: 'mdt_old00000', tokenHash: randomBytes(32).toString('hex'), expiresAt: new Date(), createdById: done.requester.id } });
  await db.agentToken.create({ data: { id: 'aa-rotated-new', identityId: done.identity.id, name: 'new', prefix: 'mdt_new00000', tokenHash: randomBytes(32).toString('hex'), expiresAt: new Date(), createdById: done.requester.id, rotatedFromId: old.id } });
  // JSON null (not SQL NULL), in an ordinary table and in an append-only one.
  await db.$executeRawUnsafe(`UPDATE "McpCapability" SET "inputSchema" = 'null'::jsonb WHERE "id" = $1`, done.caps[0]!.id);
  await db.$executeRawUnsafe(`INSERT INTO "AuditEvent" ("action", "targetType", "targetId", "before", "after") VALUES ('test.json-null', 'Test', 'x', 'null'::jsonb, NULL)`);
  return { finished: done.runId, running: running.runId };
}

beforeAll(async () => {
  sourceUrl = inject('databaseUrl');
  runIds = await seed();
}, 120_000);

afterAll(async () => {
  await closeDb();
  for (const s of scratches) await s.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('what an export covers', () => {
  it('takes every table of the schema from the catalog: exactly the Prisma models', async () => {
    const catalog = await catalogOf(sourceUrl);
    expect(catalog.tables.map((t) => t.name).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it('has every column that looks like a credential classified', async () => {
    const catalog = await catalogOf(sourceUrl);
    expect(unclassifiedCredentialColumns(catalog)).toEqual([]);
    const columns = new Set(catalog.tables.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)));
    for (const key of Object.keys(CREDENTIAL_COLUMNS)) expect(columns, key).toContain(key);
  });
});

// The shared test database holds what the other files wrote too: give the whole-database steps room.
describe('export and restore', { timeout: 120_000 }, () => {
  let backup: ExportSummary;
  let targetUrl: string;
  let spareUrl: string;

  beforeAll(async () => {
    [targetUrl, spareUrl] = [await scratch(true), await scratch(true)];
    backup = await exportDatabase(sourceUrl, { out: join(dir, 'backup.mandate.gz'), publicKeys: publicKeys() });
  }, 120_000);

  it('restores into an empty database: every table equal, every chain verifying', async () => {
    const tables = Object.keys(backup.header.tables);
    expect(backup.header.tables.EvidenceReceipt!.rows).toBeGreaterThanOrEqual(68);
    expect(backup.header.evidence.checkpointKeyIds).toContain(keyIdOf(signingPublic()));
    expect(backup.header.derived.materializedViews).toContain('DashboardRunsDaily');

    const restored = await restoreDatabase(targetUrl, backup.file);
    expect(restored.rows).toBe(backup.rows);
    expect(restored.tables).toBe(tables.length);
    console.log(
      `backup round trip: ${tables.length} tables, ${backup.rows} rows, archive ${backup.bytes} bytes; export ${backup.ms} ms, restore ${restored.ms} ms`,
    );

    // Content: an independent canonical dump, and the export of the restored database, agree.
    expect(await canonicalDump(targetUrl)).toEqual(await canonicalDump(sourceUrl));
    const again = await exportDatabase(targetUrl, { out: join(dir, 'restored.mandate.gz'), publicKeys: publicKeys() });
    expect(again.header.tables).toEqual(backup.header.tables);
    expect(again.header.sequences).toEqual(backup.header.sequences);
    expect(again.header.migrations).toEqual(backup.header.migrations);

    const [jsonNull] = await query(targetUrl, `SELECT jsonb_typeof("before") AS "before", "after" IS NULL AS "sqlNull" FROM "AuditEvent" WHERE "action" = 'test.json-null'`);
    expect(jsonNull).toEqual({ before: 'null', sqlNull: true });
    const [views] = await query<{ runs: number }>(targetUrl, 'SELECT sum("runs")::int AS "runs" FROM "DashboardRunsDaily"');
    expect(views!.runs).toBe((await query<{ n: number }>(targetUrl, 'SELECT count(*)::int AS "n" FROM "Run"'))[0]!.n);

    // Evidence: the restored database verifies like the source, run for run.
    const before = await verifyAll(sourceUrl);
    const after = await verifyAll(targetUrl);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after).toEqual(before);
    expect(after.find((v) => v.runId === runIds.finished)).toMatchObject({ intact: true, receipts: 64, checkpoints: { count: 1, lastSeq: 64 } });
    expect(after.find((v) => v.runId === runIds.running)).toMatchObject({ intact: true, receipts: 4 });

    // Without a database, the archive's own check reaches the same verdicts.
    const offline = await checkArchive(backup.file, { publicKeys: keys() });
    expect(offline.runs.sort((a, b) => a.runId.localeCompare(b.runId))).toEqual([...before].sort((a, b) => a.runId.localeCompare(b.runId)));
  });

  it('refuses to restore into a database that has rows', async () => {
    const before = await canonicalDump(targetUrl);
    await expect(restoreDatabase(targetUrl, backup.file)).rejects.toThrow(/not empty \(.*EvidenceReceipt.*\)/);
    expect(await canonicalDump(targetUrl)).toEqual(before);
  });

  it('refuses a changed archive (one byte of one receipt), rolls back a failed insert, and leaves the target empty', async () => {
    const tampered = rewrite(backup.file, join(dir, 'tampered.mandate.gz'), (lines) => {
      const at = lines.findIndex((l) => l.startsWith('{"table":"EvidenceReceipt"')) + 1;
      const row = lines[at]!;
      const i = row.indexOf('"hash":"') + 8;
      lines[at] = `${row.slice(0, i)}${row[i] === 'a' ? 'b' : 'a'}${row.slice(i + 1)}`;
    });
    await expect(restoreDatabase(spareUrl, tampered)).rejects.toThrow(/EvidenceReceipt: its rows do not match the archive's SHA-256/);
    const dump = await canonicalDump(spareUrl);
    expect(Object.values(dump.tables).every((t) => t.rows === 0), JSON.stringify(dump.tables)).toBe(true);
    await expect(checkArchive(tampered)).rejects.toThrow(/EvidenceReceipt: its rows do not match/);
    const broken = rewrite(backup.file, join(dir, 'broken.mandate.gz'), (lines) => {
      const at = lines.findIndex((l) => l.startsWith('{"table":"AuditEvent"')) + 1;
      lines[at] = `{${lines[at]!.slice(2)}`;
    });
    await expect(restoreDatabase(spareUrl, broken)).rejects.toThrow(/AuditEvent: its rows do not match the archive's SHA-256/);

    // Hashes made to match, but a receipt points at no run: the insert fails after earlier tables went in, and all of it rolls back.
    const dangling = rewrite(backup.file, join(dir, 'dangling.mandate.gz'), (lines) => {
      const start = lines.findIndex((l) => l.startsWith('{"table":"EvidenceReceipt"'));
      lines[start + 1] = lines[start + 1]!.replace(/"runId":"[^"]+"/, '"runId":"no-such-run"');
      const header = JSON.parse(lines[0]!);
      const rows = lines.slice(start + 1, start + 1 + header.tables.EvidenceReceipt.rows);
      header.tables.EvidenceReceipt.sha256 = createHash('sha256').update(rows.map((l) => `${l}\n`).join('')).digest('hex');
      lines[0] = JSON.stringify(header);
    });
    await expect(restoreDatabase(spareUrl, dangling)).rejects.toThrow(/violates foreign key constraint "EvidenceReceipt_runId_fkey"/);
    expect(Object.values((await canonicalDump(spareUrl)).tables).every((t) => t.rows === 0)).toBe(true);
  });

  it('refuses an archive from other migrations, a truncated archive, and a file that is no archive', async () => {
    const older = rewrite(backup.file, join(dir, 'older.mandate.gz'), (lines) => {
      const header = JSON.parse(lines[0]!);
      header.migrations = header.migrations.slice(0, -1);
      lines[0] = JSON.stringify(header);
    });
    await expect(restoreDatabase(spareUrl, older)).rejects.toThrow(/other migrations than this one: the database has migrations the archive lacks: \d+_\w+/);
    const truncated = rewrite(backup.file, join(dir, 'truncated.mandate.gz'), (lines) => lines.splice(lines.length - 6));
    await expect(restoreDatabase(spareUrl, truncated)).rejects.toThrow(/truncated/);
    writeFileSync(join(dir, 'not-an-archive.gz'), 'hello');
    await expect(restoreDatabase(spareUrl, join(dir, 'not-an-archive.gz'))).rejects.toThrow(/not a readable gzip file/);
    expect(Object.values((await canonicalDump(spareUrl)).tables).every((t) => t.rows === 0)).toBe(true);
  });

  it('audit mode leaves out password and token hashes, and its chains still verify', async () => {
    const audit = await exportDatabase(sourceUrl, { out: join(dir, 'audit.mandate.gz'), mode: 'audit', publicKeys: publicKeys() });
    expect(audit.header.mode).toBe('audit');
    expect(Object.keys(audit.header.tables.User!.redacted ?? {})).toEqual(['passwordHash']);
    const text = gunzipSync(readFileSync(audit.file)).toString('utf8');
    expect(text).not.toMatch(/\$argon2id\$/);
    for (const hash of (await query<{ h: string }>(sourceUrl, `SELECT "tokenHash" AS "h" FROM "AgentToken" UNION ALL SELECT "runTokenHash" FROM "Run" WHERE "runTokenHash" IS NOT NULL`)).map((r) => r.h)) {
      expect(text).not.toContain(hash);
    }
    expect(audit.header.tables.EvidenceReceipt!.sha256).toBe(backup.header.tables.EvidenceReceipt!.sha256);

    await restoreDatabase(spareUrl, audit.file);
    const [users] = await query<{ withPassword: number; tokens: number; redacted: number }>(
      spareUrl,
      `SELECT (SELECT count(*)::int FROM "User" WHERE "passwordHash" IS NOT NULL) AS "withPassword", (SELECT count(*)::int FROM "AgentToken") AS "tokens",
              (SELECT count(*)::int FROM "AgentToken" WHERE "tokenHash" = 'redacted:' || "id") AS "redacted"`,
    );
    expect(users).toMatchObject({ withPassword: 0 });
    expect(users!.redacted).toBe(users!.tokens);
    const source = await verifyAll(sourceUrl);
    expect(await verifyAll(spareUrl)).toEqual(source);
    expect(source.filter((v) => Object.values(runIds).includes(v.runId)).map((v) => v.intact)).toEqual([true, true]);
    const offline = await checkArchive(audit.file);
    expect(offline.keys).toEqual([{ keyId: keyIdOf(signingPublic()), fromArchive: true }]);
    expect(offline.runs.sort((a, b) => a.runId.localeCompare(b.runId))).toEqual([...source].sort((a, b) => a.runId.localeCompare(b.runId)));
  });
});

describe('a schema with cycles, self-references and every kind of value', () => {
  const ddl = `
    CREATE TABLE _prisma_migrations (id text PRIMARY KEY, migration_name text NOT NULL, finished_at timestamptz, rolled_back_at timestamptz);
    INSERT INTO _prisma_migrations VALUES ('1', '20260101000000_generic', now(), NULL);
    CREATE TYPE "Mood" AS ENUM ('calm', 'tense');
    CREATE TABLE "Node" (id bigint PRIMARY KEY, "parentId" bigint REFERENCES "Node"(id), label text NOT NULL);
    CREATE TABLE "A" (id text PRIMARY KEY, "bId" text);
    CREATE TABLE "B" (id text PRIMARY KEY, "aId" text NOT NULL REFERENCES "A"(id));
    ALTER TABLE "A" ADD CONSTRAINT "A_bId_fkey" FOREIGN KEY ("bId") REFERENCES "B"(id);
    CREATE TABLE "Value" (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, big bigint, exact numeric, bytes bytea, at timestamptz, local timestamp(6),
      doc jsonb, raw json, moods "Mood"[], tags text[], nums bigint[], ratio float8, twice bigint GENERATED ALWAYS AS (big * 2) STORED,
      "nodeId" bigint REFERENCES "Node"(id));
    CREATE MATERIALIZED VIEW "ValueCount" AS SELECT count(*) AS n FROM "Value";
    CREATE MATERIALIZED VIEW "ValueCountTwice" AS SELECT n * 2 AS n2 FROM "ValueCount";`;

  it('round-trips exactly', async () => {
    const [source, target] = [await scratch(false), await scratch(false)];
    for (const url of [source, target]) await query(url, ddl);
    await query(
      source,
      `INSERT INTO "Node" VALUES (1, 2, 'child, stored before its parent'), (2, NULL, 'parent');
       INSERT INTO "A" VALUES ('a1', NULL);
       INSERT INTO "B" VALUES ('b1', 'a1');
       UPDATE "A" SET "bId" = 'b1';
       INSERT INTO "Value" (big, exact, bytes, at, local, doc, raw, moods, tags, nums, ratio, "nodeId") VALUES
         (9007199254740993, 3.14159265358979323846264338327950288, '\\x00ff10', '2026-01-02 03:04:05.123456+05', '2026-01-02 03:04:05.654321',
          'null', '{"b": 1,  "a": [1, 2]}', '{calm,tense}', ARRAY['with space', 'quote"d', NULL], '{1,9007199254740993}', 0.1, 1),
         (NULL, NULL, NULL, '-infinity', NULL, '{"x": null}', 'null', '{}', NULL, NULL, 'Infinity', NULL),
         (-1, -0.000001, '', NULL, NULL, NULL, NULL, NULL, '{}', NULL, 'NaN', 2);
       DELETE FROM "Value" WHERE big = -1;`,
    );
    const archive = await exportDatabase(source, { out: join(dir, 'generic.mandate.gz') });
    expect(archive.header.sequences.Value_id_seq).toMatchObject({ lastValue: '3', isCalled: true });
    const restored = await restoreDatabase(target, archive.file);
    expect(restored.deferredKeys).toEqual(['A.A_bId_fkey']);
    expect(await canonicalDump(target)).toEqual(await canonicalDump(source));
    const [row] = await query(target, `SELECT jsonb_typeof(doc) AS "doc", raw::text AS "raw", twice::text AS "twice", (SELECT n2 FROM "ValueCountTwice")::int AS "n2", nextval('"Value_id_seq"')::int AS "next" FROM "Value" WHERE id = 1`);
    expect(row).toEqual({ doc: 'null', raw: '{"b": 1,  "a": [1, 2]}', twice: '18014398509481986', n2: 4, next: 4 });
  });
});
