import { createHash, randomBytes } from 'node:crypto';

/** Agent tokens: `mdt_<8 prefix chars>_<secret>`. Only the SHA-256 and the prefix are stored. */
export function newAgentToken(): { token: string; prefix: string; hash: string } {
  const prefix = `mdt_${randomBytes(6).toString('base64url').slice(0, 8)}`;
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, prefix, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
