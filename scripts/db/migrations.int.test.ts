import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createScratchDatabase } from './database';
import { applyMigrations } from './engine';

describe('migrations', () => {
  let client: pg.Client;
  let scratch: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    scratch = await createScratchDatabase(inject('databaseUrl'), 'mandate_migrations');
    client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await scratch?.drop();
  });

  it('applies every migration to an empty database, then has nothing left to apply', async () => {
    const applied = await applyMigrations(scratch.url);
    expect(applied).toEqual(expect.arrayContaining([expect.stringMatching(/_init$/), expect.stringMatching(/_append_only_evidence_and_audit$/)]));
    expect(await applyMigrations(scratch.url)).toEqual([]);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL');
    expect(rows[0].n).toBe(applied.length);
  });

  it('refuses to update, delete or truncate evidence receipts and audit events', async () => {
    await client.query(`INSERT INTO "User" (id, email, name, roles, "updatedAt") VALUES ('u1', 'a@test.example', 'A', '{REQUESTER}', now())`);
    await client.query(`INSERT INTO "Team" (id, slug, name) VALUES ('t1', 'team', 'Team')`);
    await client.query(`INSERT INTO "AgentIdentity" (id, name, kind, "ownerId", "toolProfile", "updatedAt") VALUES ('a1', 'agent', 'CI_AGENT', 'u1', '{}', now())`);
    await client.query(`INSERT INTO "TaskContract" (id, title, "requesterId", "teamId", "updatedAt") VALUES ('c1', 'Contract', 'u1', 't1', now())`);
    await client.query(`INSERT INTO "ContractVersion" (id, "contractId", version, snapshot, "createdById") VALUES ('v1', 'c1', 1, '{}', 'u1')`);
    await client.query(`INSERT INTO "Run" (id, "contractId", "contractVersionId", "agentIdentityId") VALUES ('r1', 'c1', 'v1', 'a1')`);
    await client.query(
      `INSERT INTO "EvidenceReceipt" ("runId", seq, kind, payload, "clientTimestamp", "idempotencyKey", "prevHash", hash) VALUES ('r1', 1, 'NOTE', '{}', now(), 'k1', 'p', 'h')`,
    );
    await client.query(`INSERT INTO "AuditEvent" (action, "targetType", "targetId") VALUES ('test.created', 'Run', 'r1')`);

    for (const sql of [
      `UPDATE "EvidenceReceipt" SET payload = '{"changed":true}'`,
      `DELETE FROM "EvidenceReceipt"`,
      `TRUNCATE "EvidenceReceipt"`,
      `UPDATE "AuditEvent" SET action = 'rewritten'`,
      `DELETE FROM "AuditEvent"`,
      `TRUNCATE "AuditEvent"`,
    ]) {
      await expect(client.query(sql), sql).rejects.toThrow(/is append-only/);
    }
    const { rows } = await client.query(`SELECT (SELECT count(*) FROM "EvidenceReceipt")::int AS receipts, (SELECT count(*) FROM "AuditEvent")::int AS audits`);
    expect(rows[0]).toEqual({ receipts: 1, audits: 1 });
  });
});

describe('npm run db:check', () => {
  const check = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/db/check.ts', ...args], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
      timeout: 60_000,
    });

  it('passes when schema.prisma and the migrations agree', () => {
    const result = check();
    expect(result.stdout).toContain('schema.prisma and prisma/migrations agree');
    expect(result.status).toBe(0);
  });

  it('fails and shows the missing SQL when a field is added without a migration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mandate-drift-'));
    try {
      const schema = readFileSync('prisma/schema.prisma', 'utf8').replace('model Team {\n', 'model Team {\n  costCentre String?\n');
      writeFileSync(join(dir, 'schema.prisma'), schema);
      cpSync('prisma/migrations', join(dir, 'migrations'), { recursive: true });
      const result = check('--schema', join(dir, 'schema.prisma'), '--migrations', join(dir, 'migrations'));
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('has changes that no migration creates');
      expect(result.stderr).toMatch(/ALTER TABLE "Team" ADD COLUMN\s+"costCentre" TEXT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
