// Scenario 3: two production app processes on one database (same DATABASE_URL, NEXTAUTH_SECRET and
// EVIDENCE_SIGNING_KEY). Whatever must hold across instances is kept in PostgreSQL: one decision
// per approval, one hash chain per run, rate limits and sign-in throttling counted in total.
import { App, call, receiptBatch, sleep } from './harness';
import { ledger } from './ledger';
import { appEnv, DECISION_REASON, pendingApproval, startedRun, type Ctx } from './fixtures';
import type { Section } from './report';
import { callAction, signIn, type ActionAnswer } from './web';

const RATE_LIMIT = 40;
const WRITERS = 8; // 4 per instance
const WRITER_BATCHES = 4; // 8 × 4 = 32 requests on the run token: under RATE_LIMIT
const WRITER_BATCH = 100;
const APPROVAL_RACES = 5;

export async function twoInstances(ctx: Ctx): Promise<void> {
  const s = ctx.report.section('3. Two app processes on one database');
  const env = appEnv(ctx, { AGENT_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
  const [a, b] = await Promise.all([App.start('A', ctx.appDir, env), App.start('B', ctx.appDir, env)]);
  const apps = [a, b];
  try {
    // Health on both.
    const health = await Promise.all(apps.map((app) => call(app.base, '/api/health')));
    s.figure('health A / B', health.map((h) => `${h.status} ${JSON.stringify(h.body)}`).join(' / '));
    s.check(health.every((h) => h.status === 200 && (h.body as { database?: string }).database === 'ready'), '/api/health answers 200 (database ready) on both instances');

    // (a) The same approval decided at the same moment through both instances: one decision.
    let oneWinner = 0;
    let loserTold = 0;
    let oneRow = 0;
    let overlapped = 0;
    const raceLines: string[] = [];
    for (let r = 0; r < APPROVAL_RACES; r++) {
      const approval = await pendingApproval();
      // One approver signs in on A, the other on B; the sessions are JWTs, so each works on either instance.
      const sessions = await Promise.all(approval.approvers.map((p, i) => signIn(apps[i]!.base, p.email, approval.password, `10.3.${r}.${i + 1}`)));
      if (sessions.some((x) => !x.cookie)) throw new Error(`Approvers could not sign in: ${sessions.map((x) => x.error).join(', ')}`);
      // Race 0..2: two approvers, one per instance; race 3..4: the same approver through both instances at once.
      const deciders = r < 3 ? [sessions[0]!, sessions[1]!] : [sessions[0]!, sessions[0]!];
      const outcomes = r % 2 === 0 ? ['APPROVE', 'REJECT'] : ['APPROVE', 'APPROVE'];
      // Both requests go out together; which instance sends first alternates from race to race.
      const spans: { start: number; end: number }[] = [];
      const decide = (i: number) => {
        const span = { start: performance.now(), end: 0 };
        spans[i] = span;
        return callAction(apps[i]!.base, `/approvals/${approval.requestId}`, ctx.decideActionId, [{ requestId: approval.requestId, outcome: outcomes[i], reason: DECISION_REASON }], deciders[i]!.cookie!).finally(() => (span.end = performance.now()));
      };
      const first = r % 2;
      const pending: Promise<ActionAnswer>[] = [];
      pending[first] = decide(first);
      pending[1 - first] = decide(1 - first);
      const answers = await Promise.all(pending);
      if (Math.max(spans[0]!.start, spans[1]!.start) < Math.min(spans[0]!.end, spans[1]!.end)) overlapped++;
      const wins = answers.filter((x) => x.result?.ok === true).length;
      const told = answers.filter((x) => x.result?.ok === false && /already .* this request|no longer waiting/.test(x.result.message ?? '')).length;
      const { db } = await import('../../lib/db');
      const decisions = await db.approvalDecision.count({ where: { requestId: approval.requestId } });
      const audits = await db.auditEvent.count({ where: { action: 'approval.decided', targetId: approval.requestId } });
      if (wins === 1) oneWinner++;
      if (told === 1) loserTold++;
      if (decisions === 1 && audits === 1) oneRow++;
      raceLines.push(
        `${r < 3 ? 'two approvers' : 'one approver twice'} (${outcomes.join(' vs ')}, ${'AB'[first]} sent first): ${answers.map((x, i) => `${'AB'[i]} ${x.result ? (x.result.ok ? 'ok' : `refused: ${x.result.message?.slice(0, 100)}`) : `no result (${x.status})`}`).join('; ')}; decisions stored: ${decisions}`,
      );
    }
    raceLines.forEach((line, i) => s.figure(`approval race ${i + 1}`, line));
    s.figure('races whose two requests overlapped in time', `${overlapped}/${APPROVAL_RACES}`);
    s.check(oneWinner === APPROVAL_RACES, 'every concurrent decision through both instances had exactly one winner', `${oneWinner}/${APPROVAL_RACES}`);
    s.check(loserTold === APPROVAL_RACES, 'the other decider was told who decided first, nothing of theirs stored', `${loserTold}/${APPROVAL_RACES}`);
    s.check(oneRow === APPROVAL_RACES, 'exactly one decision row and one audit event per request', `${oneRow}/${APPROVAL_RACES}`);

    // (b) One chain, 8 concurrent writers spread over both instances.
    const shared = await startedRun(a);
    const seqsAnswered: number[] = [];
    const sent: string[] = [];
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const app = apps[w % 2]!;
        for (let k = 0; k < WRITER_BATCHES; k++) {
          const batch = receiptBatch(`two-w${w}-b${k}`, WRITER_BATCH);
          sent.push(...batch.map((r) => r.idempotencyKey));
          const res = await call(app.base, `/api/v1/runs/${shared.id}/receipts`, { token: shared.token, body: { receipts: batch } });
          if (res.status !== 200) failures.push(`${app.name} ${res.status} ${res.text.slice(0, 150)}`);
          else seqsAnswered.push(...(res.body as { receipts: { seq: number }[] }).receipts.map((x) => x.seq));
        }
      }),
    );
    const l = await ledger(ctx.admin, shared.id, sent);
    const distinctSeqs = new Set(seqsAnswered).size;
    s.figure('one run, writers × batches × receipts', `${WRITERS} (4 on A, 4 on B) × ${WRITER_BATCHES} × ${WRITER_BATCH}`);
    s.figure('receipts sent / stored / duplicated / lost', `${l.sent} / ${l.stored} / ${l.duplicated} / ${l.lost}`);
    s.figure('seqs answered / distinct', `${seqsAnswered.length} / ${distinctSeqs}`);
    s.check(failures.length === 0, 'every batch accepted on both instances', failures.slice(0, 3).join(' | '));
    s.check(l.stored === l.sent && l.lost === 0 && l.duplicated === 0, 'all receipts stored once', `sent ${l.sent}, stored ${l.stored}, duplicated ${l.duplicated}`);
    s.check(distinctSeqs === seqsAnswered.length && l.contiguous, 'seqs contiguous, no seq given twice across instances');
    s.check(l.intact, 'the one chain verifies', l.reason);

    // (c) Rate limits counted across both instances.
    const limited = await sharedRateLimit(apps);
    s.figure('rate limit', `${RATE_LIMIT}/min per token; ${limited.sent} requests alternating A/B`);
    s.figure('200s on A / B, first 429 at request #', `${limited.okA} / ${limited.okB}, #${limited.first429 + 1} (${limited.first429At})`);
    s.figure('429s on A / B (with Retry-After)', `${limited.limitedA} / ${limited.limitedB} (${limited.withRetryAfter})`);
    s.check(limited.okA + limited.okB === RATE_LIMIT, `exactly ${RATE_LIMIT} requests let through in total across both instances`, `${limited.okA + limited.okB}`);
    s.check(limited.first429 === RATE_LIMIT, `429s start right after the ${RATE_LIMIT}th request counted over both instances`, `first 429 at #${limited.first429 + 1}`);
    s.check(limited.okA < RATE_LIMIT && limited.okB < RATE_LIMIT && limited.limitedA > 0 && limited.limitedB > 0, 'each instance refused although neither had seen the limit on its own');
    s.check(limited.withRetryAfter === limited.limitedA + limited.limitedB, 'every 429 carried Retry-After');

    // (d) Sign-in throttling counted across both instances.
    await signInThrottle(apps, s);
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
  }
}

async function sharedRateLimit(apps: App[]) {
  for (let attempt = 1; ; attempt++) {
    // Fixed one-minute windows: start early in one, so that the whole sequence falls inside it.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 15_000) await sleep(60_000 - intoWindow + 500);
    const run = await startedRun(apps[0]!);
    const windowAt = Math.floor(Date.now() / 60_000);
    const sent = RATE_LIMIT + 20;
    const statuses: { app: string; status: number; retryAfter: string | null }[] = [];
    for (let i = 0; i < sent; i++) {
      const app = apps[i % 2]!;
      const res = await call(app.base, `/api/v1/runs/${run.id}`, { token: run.token });
      statuses.push({ app: app.name, status: res.status, retryAfter: res.headers.get('retry-after') });
    }
    if (Math.floor(Date.now() / 60_000) !== windowAt && attempt < 3) continue; // crossed into the next window: again
    const first429 = statuses.findIndex((x) => x.status === 429);
    return {
      sent,
      okA: statuses.filter((x) => x.app === 'A' && x.status === 200).length,
      okB: statuses.filter((x) => x.app === 'B' && x.status === 200).length,
      limitedA: statuses.filter((x) => x.app === 'A' && x.status === 429).length,
      limitedB: statuses.filter((x) => x.app === 'B' && x.status === 429).length,
      withRetryAfter: statuses.filter((x) => x.status === 429 && x.retryAfter).length,
      first429,
      first429At: first429 >= 0 ? `on ${statuses[first429]!.app}` : 'never',
    };
  }
}

async function signInThrottle(apps: App[], s: Section) {
  const { SIGN_IN_POLICY } = await import('../../lib/auth/throttle');
  const { createUser, TEST_PASSWORD } = await import('../../lib/testing/factories');
  const { db } = await import('../../lib/db');
  const user = await createUser({ roles: ['REQUESTER'] });
  const max = SIGN_IN_POLICY.account.maxFailures;
  const address = '10.4.0.1';
  const trail: string[] = [];
  const failures: string[] = [];
  // Failures alternate A, B, A, …: neither instance sees `max` of them on its own.
  for (let i = 0; i < max; i++) {
    const app = apps[i % 2]!;
    const r = await signIn(app.base, user.email, 'not the password', address);
    failures.push(r.error ?? 'signed in?!');
    trail.push(`${app.name}:${r.error}`);
  }
  const lockedBy = apps[(max - 1) % 2]!.name;
  // Now the right password, first on the other instance than the one that counted the last failure, then on that one.
  const other = apps[max % 2]!;
  const same = apps[(max - 1) % 2]!;
  const onOther = await signIn(other.base, user.email, TEST_PASSWORD, address);
  const onSame = await signIn(same.base, user.email, TEST_PASSWORD, address);
  trail.push(`${other.name} (right password):${onOther.error}`, `${same.name} (right password):${onSame.error}`);
  const row = await db.signInThrottle.findUnique({ where: { key: `account:${user.email.toLowerCase()}` } });
  const lockAudits = await db.auditEvent.count({ where: { action: 'auth.account-locked', targetId: user.id } });
  // Before the limit, a correct password works (on a fresh account, to show the lock is what refuses).
  const control = await createUser({ roles: ['REQUESTER'] });
  const controlFail = await signIn(apps[0]!.base, control.email, 'not the password', '10.4.0.2');
  const controlOk = await signIn(apps[1]!.base, control.email, TEST_PASSWORD, '10.4.0.2');

  s.figure('sign-in policy', `${max} failures per account in ${SIGN_IN_POLICY.account.windowMinutes} min → locked ${SIGN_IN_POLICY.account.lockMinutes} min`);
  s.figure('sign-in attempts (instance:answer)', trail.join(', '));
  s.figure('lock stored until / audit events', `${row?.lockedUntil?.toISOString() ?? 'not locked'} / ${lockAudits}`);
  s.check(failures.every((f) => f === 'CredentialsSignin'), `the ${max} wrong passwords were refused as wrong (not yet locked)`, failures.join(', '));
  s.check(Boolean(row?.lockedUntil && row.lockedUntil > new Date()), `the account is locked after ${max} failures counted over both instances (the last on ${lockedBy})`);
  s.check(onOther.error?.startsWith('locked:') === true, `the other instance (${other.name}) gives the lock notice, even for the right password`, String(onOther.error));
  s.check(onSame.error?.startsWith('locked:') === true, `the instance that locked it (${same.name}) gives the lock notice too`, String(onSame.error));
  s.check(lockAudits === 1, 'one account-locked audit event', String(lockAudits));
  s.check(controlFail.error === 'CredentialsSignin' && controlOk.error === null && controlOk.cookie !== null, 'control: an account below the limit signs in with the right password (on the other instance)', `${controlFail.error} / ${controlOk.error}`);
}
