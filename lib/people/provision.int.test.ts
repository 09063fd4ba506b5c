import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { authorizeWithPassword } from '@/lib/auth/options';
import { recordFailure, throttleKey, SIGN_IN_POLICY } from '@/lib/auth/throttle';
import { provisionUser } from './provision';
import { refusal } from '@/lib/testing/refusal';

const PASSPHRASE = 'lantern orchard copper seventeen';
const email = () => `ops-${randomUUID().slice(0, 8)}@example.org`;


describe('provisioning people with a password', () => {
  it('adds a person who can then sign in, and audits it', async () => {
    const address = email();
    const { id, created } = await provisionUser({ email: address, name: 'Ops Admin', roles: ['ADMIN'], password: PASSPHRASE });
    expect(created).toBe(true);
    expect(await authorizeWithPassword({ email: address, password: PASSPHRASE }, {})).toMatchObject({ id });
    expect(await db.auditEvent.count({ where: { action: 'user.provisioned', targetId: id } })).toBe(1);
  });

  it('refuses a weak password on the password field and writes nothing', async () => {
    const address = email();
    const before = await db.user.count();
    const error = await refusal(provisionUser({ email: address, name: 'Ops Admin', roles: ['ADMIN'], password: 'password1234' }));
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['password']);
    expect(await db.user.count()).toBe(before);
  });

  it('refuses unknown roles and an existing account unless the password is being reset', async () => {
    expect((await refusal(provisionUser({ email: email(), name: 'X', roles: ['ROOT' as never], password: PASSPHRASE }))).fieldErrors?.roles).toBeDefined();
    const address = email();
    await provisionUser({ email: address, name: 'Ops Admin', roles: ['SECURITY'], password: PASSPHRASE });
    expect((await refusal(provisionUser({ email: address, name: 'Ops Admin', roles: ['SECURITY'], password: PASSPHRASE }))).code).toBe('CONFLICT');
    // A reset of a mistyped address creates nobody.
    const before = await db.user.count();
    expect((await refusal(provisionUser({ email: `typo-${address}`, name: 'Ops Admin', password: PASSPHRASE, resetPassword: true }))).code).toBe('NOT_FOUND');
    expect(await db.user.count()).toBe(before);
  });

  it('a password reset clears a sign-in lock', async () => {
    const address = email();
    await provisionUser({ email: address, name: 'Locked Out', roles: ['REQUESTER'], password: PASSPHRASE });
    for (let i = 0; i < SIGN_IN_POLICY.account.maxFailures; i++) await recordFailure('account', throttleKey('account', address));
    await expect(authorizeWithPassword({ email: address, password: PASSPHRASE }, {})).rejects.toThrow(/^locked:/);
    const fresh = 'violet harbour engine ninety';
    await provisionUser({ email: address, name: 'Locked Out', roles: ['REQUESTER'], password: fresh, resetPassword: true });
    await expect(authorizeWithPassword({ email: address, password: fresh }, {})).resolves.toMatchObject({ email: address });
  });
});
