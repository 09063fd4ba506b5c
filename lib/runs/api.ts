import type { z } from 'zod';
import { defineApiWith } from '@/lib/server/api';
import { AppError } from '@/lib/server/errors';
import { authenticateRun, type RunContext } from './context';

/** A handler under /api/v1/runs/{id}/…, authenticated with that run's token (`mdr_…`), rate-limited per run. */
export function defineRunApi<S extends z.ZodType | null, R>(schema: S, handler: (input: S extends z.ZodType ? z.output<S> : undefined, run: RunContext, request: Request) => Promise<R>) {
  return defineApiWith(
    async (request: Request, params: Record<string, string>) => {
      if (!params.id) throw new AppError('NOT_FOUND', 'No run id in the path.');
      return authenticateRun(request, params.id);
    },
    schema,
    handler,
  );
}
