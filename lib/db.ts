import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '@/lib/generated/prisma/client';
import { databaseUrl } from '@/lib/env';

const globalForDb = globalThis as unknown as { mandateDb?: PrismaClient };

function createClient(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl() }) });
}

/**
 * The one Prisma client. Created on first use (not at import, so `next build` needs no database)
 * and kept on globalThis so that dev-server reloads do not open a new pool each time.
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = (globalForDb.mandateDb ??= createClient());
    const value = Reflect.get(client, prop, client);
    return typeof value === 'function' ? value.bind(client) : value;
  },
});

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;
