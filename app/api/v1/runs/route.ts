import { defineApi } from '@/lib/server/api';
import { publicOrigin } from '@/lib/server/origin';
import { startRun } from '@/lib/runs/commands';
import { StartRunInput } from '@/lib/runs/schema';

/** Start a run on an approved (or Low and ready) contract; answers with a run-scoped token. */
export const POST = defineApi(StartRunInput, (input, agent, request) => startRun(agent, input, publicOrigin(request)), { status: 201 });
