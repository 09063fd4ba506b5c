import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { authorizeWithPassword } from '@/lib/auth/options';
import { SIGN_IN_POLICY } from '@/lib/auth/throttle';
import { createUser, TEST_PASSWORD } from '@/lib/testing/factories';

const from = (address: string) => ({ 'x-forwarded-for': address });

describe('signing in with a password', () => {
  it('accepts the right password, records the sign-in and audits it', async () => {
    const user = await createUser();
    await expect(authorizeWithPassword({ email: user.email.toUpperCase(), password: TEST_PASSWORD }, from('10.0.0.1'))).resolves.toMatchObject({
      id: user.id,
    });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.lastSignInAt).not.toBeNull();
    expect(await db.auditEvent.count({ where: { actorId: user.id, action: 'auth.signed-in' } })).toBe(1);
  });

  it('refuses a wrong password and an unknown e-mail with the same error', async () => {
    const user = await createUser();
    await expect(authorizeWithPassword({ email: user.email, password: 'wrong' }, from('10.0.0.2'))).rejects.toThrow('CredentialsSignin');
    await expect(authorizeWithPassword({ email: 'nobody@test.example', password: 'wrong' }, from('10.0.0.2'))).rejects.toThrow('CredentialsSignin');
  });

  it('refuses a deactivated account even with the right password', async () => {
    const user = await createUser({ active: false });
    await expect(authorizeWithPassword({ email: user.email, password: TEST_PASSWORD }, from('10.0.0.3'))).rejects.toThrow('inactive');
  });

  it('refuses malformed input without touching the database', async () => {
    await expect(authorizeWithPassword({ email: 'not-an-email', password: '' }, undefined)).rejects.toThrow('CredentialsSignin');
  });

  it('locks an account after repeated failures, even for the right password, and audits the lock', async () => {
    const user = await createUser();
    const { maxFailures, lockMinutes } = SIGN_IN_POLICY.account;
    for (let i = 0; i < maxFailures; i++) {
      await expect(authorizeWithPassword({ email: user.email, password: `guess-${i}` }, from('10.0.0.4'))).rejects.toThrow('CredentialsSignin');
    }
    await expect(authorizeWithPassword({ email: user.email, password: TEST_PASSWORD }, from('10.0.0.5'))).rejects.toThrow(`locked:${lockMinutes}`);
    expect(await db.auditEvent.count({ where: { targetId: user.id, action: 'auth.account-locked' } })).toBe(1);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const user = await createUser();
    const { maxFailures } = SIGN_IN_POLICY.account;
    for (let i = 0; i < maxFailures - 1; i++) {
      await expect(authorizeWithPassword({ email: user.email, password: 'nope' }, from('10.0.0.6'))).rejects.toThrow();
    }
    await authorizeWithPassword({ email: user.email, password: TEST_PASSWORD }, from('10.0.0.6'));
    await expect(authorizeWithPassword({ email: user.email, password: 'nope' }, from('10.0.0.6'))).rejects.toThrow('CredentialsSignin');
    await expect(authorizeWithPassword({ email: user.email, password: TEST_PASSWORD }, from('10.0.0.6'))).resolves.toMatchObject({ id: user.id });
  });

  it('counts failures atomically when several instances race on one account', async () => {
    const user = await createUser();
    const { maxFailures } = SIGN_IN_POLICY.account;
    await Promise.allSettled(
      Array.from({ length: maxFailures }, (_, i) => authorizeWithPassword({ email: user.email, password: `race-${i}` }, from('10.0.0.7'))),
    );
    await expect(authorizeWithPassword({ email: user.email, password: TEST_PASSWORD }, from('10.0.0.8'))).rejects.toThrow(/^locked:/);
  });
});
