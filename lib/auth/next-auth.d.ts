import 'next-auth';
import type { Role } from '@/lib/generated/prisma/enums';
import 'next-auth/jwt';

declare module 'next-auth' {
  interface Session {
    user: { id: string; roles: Role[]; name?: string | null; email?: string | null };
    /** When this session signed in (ms): sessions older than the person's `sessionsValidFrom` are over. */
    signedInAt?: number;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    roles?: Role[];
    signedInAt?: number;
  }
}
