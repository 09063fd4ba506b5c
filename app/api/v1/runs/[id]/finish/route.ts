import { finishRun } from '@/lib/runs/commands';
import { defineRunApi } from '@/lib/runs/api';
import { FinishInput } from '@/lib/runs/schema';

/** Finish the run: outcome, check results, patch reference, cost. Signs the chain head; the run token dies. */
export const POST = defineRunApi(FinishInput, (input, run) => finishRun(run, input));
