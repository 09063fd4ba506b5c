import { postReceipts } from '@/lib/runs/commands';
import { defineRunApi } from '@/lib/runs/api';
import { ReceiptsInput } from '@/lib/runs/schema';

/** One receipt, or a batch of up to 500 ({ receipts: [...] }), appended to the run's hash chain all or nothing. */
export const POST = defineRunApi(ReceiptsInput, (input, run) => postReceipts(run, input.receipts));
