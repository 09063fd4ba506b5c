import type { ChainStatus } from '@/lib/runs/queries';

/** Intact / broken at which receipt, from a verification done for this page view. */
export function ChainBadge({ status }: { status: ChainStatus }) {
  if (!status.checked) {
    return (
      <div data-testid="chain-status" className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200">
        <span className="font-semibold">Evidence chain not checked on this page.</span> {status.reason}
      </div>
    );
  }
  if (!status.intact) {
    return (
      <div data-testid="chain-status" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900 ring-1 ring-red-300">
        <span className="font-semibold">Evidence chain BROKEN at receipt {status.brokenAtSeq}.</span> {status.reason}. Treat this run&apos;s evidence as untrustworthy and open an incident.
      </div>
    );
  }
  const cp = status.checkpoints;
  return (
    <div data-testid="chain-status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200">
      <span className="font-semibold">✓ Evidence chain intact</span> · {status.receipts} receipts, each hashed over the one before
      {cp.count > 0 ? (
        <>
          {' '}
          · signed checkpoint at receipt {cp.lastSeq} (<span className="font-mono text-xs">{cp.lastKeyId}</span>)
        </>
      ) : (
        ' · no signed checkpoint yet (the run is still going)'
      )}
      {status.headHash && <span className="mt-0.5 block break-all font-mono text-xs text-emerald-800">head {status.headHash}</span>}
    </div>
  );
}
