import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { authorizeWithPassword, endSessions } from '@/lib/auth/options';
import { sessionIsCurrent } from '@/lib/auth/session';
import { createActor, TEST_PASSWORD } from '@/lib/testing/factories';
import { changePassword } from './password';
import { refusal } from '@/lib/testing/refusal';

const NEW = 'amber willow seventy lantern';


describe('changing one’s own password', () => {
  it('needs the current password, counts a wrong one towards the lock, and changes nothing then', async () => {
    const actor = await createActor(['REQUESTER']);
    const before = await db.user.findUniqueOrThrow({ where: { id: actor.id } });
    const error = await refusal(changePassword(actor, { current: 'not my password', next: NEW, confirm: NEW }));
    expect(error.fieldErrors).toEqual({ current: ['That is not your current password'] });
    expect((await db.signInThrottle.findUnique({ where: { key: `account:${actor.email}` } }))?.failures).toBe(1);
    expect(await db.user.findUniqueOrThrow({ where: { id: actor.id } })).toEqual(before);
  });

  it('applies the password policy to the new one', async () => {
    const actor = await createActor(['APPROVER']);
    expect((await refusal(changePassword(actor, { current: TEST_PASSWORD, next: 'password1234', confirm: 'password1234' }))).fieldErrors?.next?.[0]).toMatch(/commonly used|easy to guess/);
    expect((await refusal(changePassword(actor, { current: TEST_PASSWORD, next: TEST_PASSWORD, confirm: TEST_PASSWORD }))).fieldErrors?.next?.[0]).toBe('Choose a password different from the current one.');
  });

  it('sets the new password, ends every session from before, and audits it', async () => {
    const actor = await createActor(['LEADER']);
    const signedInAt = Date.now() - 1000;
    await changePassword(actor, { current: TEST_PASSWORD, next: NEW, confirm: NEW });
    const user = await db.user.findUniqueOrThrow({ where: { id: actor.id } });
    expect(sessionIsCurrent(signedInAt, user.sessionsValidFrom)).toBe(false);
    expect(sessionIsCurrent(Date.now() + 1, user.sessionsValidFrom)).toBe(true);
    await expect(authorizeWithPassword({ email: actor.email, password: TEST_PASSWORD }, {})).rejects.toThrow();
    await expect(authorizeWithPassword({ email: actor.email, password: NEW }, {})).resolves.toMatchObject({ id: actor.id });
    expect(await db.auditEvent.count({ where: { action: 'user.password-changed', targetId: actor.id } })).toBe(1);
  });

  it('is refused for people who sign in through SSO', async () => {
    const actor = await createActor(['REQUESTER']);
    await db.user.update({ where: { id: actor.id }, data: { passwordHash: null } });
    expect((await refusal(changePassword(actor, { current: 'x', next: NEW, confirm: NEW }))).code).toBe('CONFLICT');
  });

  it('signing out ends the sessions on the server, and says so in the audit log', async () => {
    const actor = await createActor(['SECURITY']);
    const signedInAt = Date.now() - 1;
    expect(sessionIsCurrent(signedInAt, null)).toBe(true);
    expect(sessionIsCurrent(undefined, null)).toBe(false);
    expect(sessionIsCurrent(Date.now() - 8 * 3600_000 - 1000, null), 'older than the absolute lifetime').toBe(false);
    await endSessions(actor.id, 'auth.signed-out');
    const user = await db.user.findUniqueOrThrow({ where: { id: actor.id } });
    expect(sessionIsCurrent(signedInAt, user.sessionsValidFrom)).toBe(false);
    expect(await db.auditEvent.count({ where: { action: 'auth.signed-out', targetId: actor.id } })).toBe(1);
  });
});
