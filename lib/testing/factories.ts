import { randomUUID } from 'node:crypto';
import { db } from '@/lib/db';
import { hashPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/generated/prisma/enums';

let cachedHash: Promise<string> | undefined;
export const TEST_PASSWORD = 'correct horse battery staple';

/** A person with the given roles and TEST_PASSWORD, unique per call. */
export async function createUser(overrides: { roles?: Role[]; active?: boolean; name?: string } = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const id = randomUUID().slice(0, 8);
  return db.user.create({
    data: {
      email: `user-${id}@test.example`,
      name: overrides.name ?? `Test User ${id}`,
      roles: overrides.roles ?? ['REQUESTER'],
      active: overrides.active ?? true,
      passwordHash: await cachedHash,
    },
  });
}
