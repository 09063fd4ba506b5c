import type { ContractForRisk } from '@/lib/domain/risk';
import type { SaveDraftInput } from './schema';

/** The parts of a contract the classifier reads; shared by the live preview and the server. */
export function toRiskInput(
  c: Pick<SaveDraftInput, 'allowGlobs' | 'blockGlobs' | 'allowedData' | 'blockedItems' | 'capabilityIds' | 'localCommands' | 'tierRaisedTo' | 'tierRaiseReason'>,
): ContractForRisk {
  return {
    allowGlobs: c.allowGlobs,
    blockGlobs: c.blockGlobs,
    allowedData: c.allowedData,
    blockedItems: c.blockedItems,
    capabilityIds: c.capabilityIds,
    localCommands: c.localCommands,
    tierRaisedTo: c.tierRaisedTo,
    tierRaiseReason: c.tierRaiseReason,
  };
}
