import { checkAction } from '@/lib/runs/commands';
import { defineRunApi } from '@/lib/runs/api';
import { CheckInput } from '@/lib/runs/schema';

/** Is this intended action inside the run's boundary? allow / deny / needs_approval, with the reasons. */
export const POST = defineRunApi(CheckInput, (input, run) => checkAction(run, input));
