import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Prisma } from '@/lib/generated/prisma/client';
import { AppError, isDatabaseUnavailable } from './errors';

const clientVersion = '7.10.1';

function socketError(code: string) {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect', address: '127.0.0.1', port: 5432 });
}

function pgError(code: string, message: string, severity = 'FATAL') {
  return Object.assign(new pg.DatabaseError(message, 0, 'error'), { code, severity });
}

/** What Prisma's client throws for a driver-adapter failure (shapes recorded by scripts/faults/run.ts). */
function prismaWrapped(code: string, cause: ConstructorParameters<typeof DriverAdapterError>[0]) {
  return new Prisma.PrismaClientKnownRequestError('Raw query failed.', { code, clientVersion, meta: { driverAdapterError: new DriverAdapterError(cause) } });
}

describe('isDatabaseUnavailable', () => {
  it('recognises what pg throws when Postgres is down, stopping or restarting', () => {
    expect(isDatabaseUnavailable(socketError('ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(socketError('ECONNRESET'))).toBe(true);
    expect(isDatabaseUnavailable(socketError('ETIMEDOUT'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('57P03', 'the database system is shutting down'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('08006', 'connection failure'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('53300', 'sorry, too many clients already'))).toBe(true);
  });

  it('sees through Prisma and its driver adapter', () => {
    expect(isDatabaseUnavailable(prismaWrapped('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }))).toBe(true);
    expect(isDatabaseUnavailable(prismaWrapped('P2010', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }))).toBe(true);
    expect(isDatabaseUnavailable(prismaWrapped('P2010', { kind: 'ConnectionClosed' }))).toBe(true);
    expect(
      isDatabaseUnavailable(
        prismaWrapped('P2010', {
          kind: 'postgres',
          code: '57P01',
          severity: 'FATAL',
          message: 'terminating connection due to administrator command',
          detail: undefined,
          column: undefined,
          hint: undefined,
          originalCode: '57P01',
          originalMessage: 'terminating connection due to administrator command',
        }),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Prisma.PrismaClientKnownRequestError("Can't reach database server", { code: 'P1001', clientVersion }))).toBe(true);
    expect(isDatabaseUnavailable(new DriverAdapterError({ kind: 'SocketTimeout' }))).toBe(true);
    // Prisma passes pg's own "Connection terminated unexpectedly" through, with its clientVersion added.
    expect(isDatabaseUnavailable(Object.assign(new Error('Connection terminated unexpectedly'), { clientVersion }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('request failed', { cause: socketError('ECONNREFUSED') }))).toBe(true);
  });

  it('leaves bugs, constraint violations and user-facing errors alone', () => {
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is not a function'))).toBe(false);
    expect(isDatabaseUnavailable(pgError('23505', 'duplicate key value violates unique constraint', 'ERROR'))).toBe(false);
    expect(isDatabaseUnavailable(pgError('42P01', 'relation "Nope" does not exist', 'ERROR'))).toBe(false);
    expect(isDatabaseUnavailable(pgError('40P01', 'deadlock detected', 'ERROR'))).toBe(false);
    expect(isDatabaseUnavailable(prismaWrapped('P2002', { kind: 'UniqueConstraintViolation', constraint: { fields: ['email'] } }))).toBe(false);
    expect(isDatabaseUnavailable(new Prisma.PrismaClientKnownRequestError('Record not found', { code: 'P2025', clientVersion }))).toBe(false);
    expect(isDatabaseUnavailable(new AppError('CONFLICT', 'Connection terminated by the other side'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    const loop: Error & { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });
});
