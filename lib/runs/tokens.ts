import { randomBytes } from 'node:crypto';
import { hashToken } from '@/lib/identities/tokens';

/** Run tokens: `mdr_<8 prefix chars>_<secret>`; like agent tokens, only the SHA-256 and the prefix are stored. */
export function newRunToken(): { token: string; prefix: string; hash: string } {
  const prefix = `mdr_${randomBytes(6).toString('base64url').slice(0, 8)}`;
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, prefix, hash: hashToken(token) };
}

/** After the wall-time budget ends the check denies everything; the token lives this much longer so the agent can report and finish. */
export const RUN_TOKEN_GRACE_MINUTES = 15;
/** A contract without a wall-time budget still gets a run token that ends. */
export const RUN_TOKEN_MAX_HOURS = 24;

export function runTokenExpiry(startedAt: Date, maxWallMinutes: number): Date {
  const minutes = maxWallMinutes > 0 ? maxWallMinutes + RUN_TOKEN_GRACE_MINUTES : RUN_TOKEN_MAX_HOURS * 60;
  return new Date(startedAt.getTime() + minutes * 60_000);
}
