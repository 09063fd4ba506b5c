import { hash, verify } from '@node-rs/argon2';

// argon2id with the library's defaults (m=19 MiB, t=2, p=1: the OWASP baseline).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verifying against this when the user does not exist keeps the response time the same, so timing
// does not tell an attacker which e-mail addresses have accounts.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$7b1Hd2ZrU9bl3XG6zzp8Cg$9gS1bsyGN8nUJvNSTs3CPhfchWcYmEpJ2oS8SwOn3cM';

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  try {
    const ok = await verify(passwordHash ?? DUMMY_HASH, password);
    return ok && passwordHash !== null;
  } catch {
    return false;
  }
}
