/** Whether an agent token may act now, and if not, the reason the API gives. Pure: the caller supplies the clock. */
export type TokenState = { revokedAt: Date | null; expiresAt: Date; graceEndsAt: Date | null };
export type IdentityState = { status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED'; killedAt: Date | null; name: string };

/** `about` says whether the token (401) or the identity behind it (403) is the problem. */
export type AccessVerdict = { ok: true } | { ok: false; about: 'token' | 'identity'; reason: string };

export function tokenAccess(token: TokenState, identity: IdentityState, now: Date): AccessVerdict {
  if (token.revokedAt) return { ok: false, about: 'token', reason: 'This token was revoked.' };
  if (token.expiresAt <= now) return { ok: false, about: 'token', reason: 'This token has expired.' };
  if (token.graceEndsAt && token.graceEndsAt <= now) return { ok: false, about: 'token', reason: 'This token was rotated and its grace period is over; use the new token.' };
  if (identity.killedAt) return { ok: false, about: 'identity', reason: `The kill switch is on for ${identity.name}.` };
  if (identity.status !== 'ACTIVE') return { ok: false, about: 'identity', reason: `${identity.name} is ${identity.status.toLowerCase()}.` };
  return { ok: true };
}

/** The controls a server needs before any of its capabilities may be set above "blocked". */
export function missingServerControls(server: { hasLogging: boolean; hasOwnerReview: boolean; hasKillSwitch: boolean }): string[] {
  return [
    ...(server.hasLogging ? [] : ['logging']),
    ...(server.hasOwnerReview ? [] : ['an owner review']),
    ...(server.hasKillSwitch ? [] : ['a kill switch']),
  ];
}

/** Why a capability may not get this policy, or null when it may. */
export function capabilityPolicyProblem(
  policy: 'DEFAULT_READ' | 'NEEDS_APPROVAL' | 'SYNTHETIC_ONLY' | 'BLOCKED',
  capability: { businessCapability: string | null; access: 'READ' | 'WRITE' },
  server: { hasLogging: boolean; hasOwnerReview: boolean; hasKillSwitch: boolean },
): string | null {
  if (policy === 'BLOCKED') return null;
  const missing = missingServerControls(server);
  if (missing.length) return `Stays blocked until the server has ${missing.join(', ')}.`;
  if (!capability.businessCapability?.trim()) return 'Describe the business capability it grants before allowing it.';
  if (policy === 'DEFAULT_READ' && capability.access === 'WRITE') return 'A write capability cannot be allowed by default: choose "needs approval".';
  return null;
}
