import { describe, expect, it } from 'vitest';
import { capabilityPolicyProblem, missingServerControls, tokenAccess } from './agent-access';

const now = new Date('2026-11-24T12:00:00Z');
const later = new Date('2026-12-24T12:00:00Z');
const earlier = new Date('2026-11-01T12:00:00Z');
const token = { revokedAt: null, expiresAt: later, graceEndsAt: null };
const identity = { status: 'ACTIVE' as const, killedAt: null, name: 'ci-bot' };

describe('agent token access', () => {
  it('lets a live token of an active identity act', () => {
    expect(tokenAccess(token, identity, now)).toEqual({ ok: true });
  });
  it('refuses revoked, expired and rotated-out tokens', () => {
    expect(tokenAccess({ ...token, revokedAt: earlier }, identity, now)).toEqual({ ok: false, about: 'token', reason: 'This token was revoked.' });
    expect(tokenAccess({ ...token, expiresAt: earlier }, identity, now)).toEqual({ ok: false, about: 'token', reason: 'This token has expired.' });
    expect(tokenAccess({ ...token, graceEndsAt: earlier }, identity, now)).toMatchObject({ ok: false });
    expect(tokenAccess({ ...token, graceEndsAt: later }, identity, now)).toEqual({ ok: true });
  });
  it('refuses a suspended, revoked or killed identity at once', () => {
    expect(tokenAccess(token, { ...identity, status: 'SUSPENDED' }, now)).toEqual({ ok: false, about: 'identity', reason: 'ci-bot is suspended.' });
    expect(tokenAccess(token, { ...identity, status: 'REVOKED' }, now)).toEqual({ ok: false, about: 'identity', reason: 'ci-bot is revoked.' });
    expect(tokenAccess(token, { ...identity, killedAt: earlier }, now)).toEqual({ ok: false, about: 'identity', reason: 'The kill switch is on for ci-bot.' });
  });
});

describe('capability policy rules', () => {
  const ready = { hasLogging: true, hasOwnerReview: true, hasKillSwitch: true };
  const described = { businessCapability: 'read customer escalation detail', access: 'READ' as const };
  it('names the controls a server lacks', () => {
    expect(missingServerControls({ hasLogging: false, hasOwnerReview: true, hasKillSwitch: false })).toEqual(['logging', 'a kill switch']);
  });
  it('keeps capabilities blocked while the server lacks controls', () => {
    expect(capabilityPolicyProblem('DEFAULT_READ', described, { ...ready, hasOwnerReview: false })).toBe('Stays blocked until the server has an owner review.');
    expect(capabilityPolicyProblem('BLOCKED', described, { ...ready, hasOwnerReview: false })).toBeNull();
  });
  it('demands a business description and refuses write by default', () => {
    expect(capabilityPolicyProblem('NEEDS_APPROVAL', { businessCapability: null, access: 'READ' }, ready)).toMatch(/Describe the business capability/);
    expect(capabilityPolicyProblem('DEFAULT_READ', { ...described, access: 'WRITE' }, ready)).toMatch(/write capability cannot be allowed by default/);
    expect(capabilityPolicyProblem('NEEDS_APPROVAL', { ...described, access: 'WRITE' }, ready)).toBeNull();
  });
});
