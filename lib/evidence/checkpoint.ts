import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * Signed checkpoints: a run's chain head signed with Ed25519 by a key kept outside the database.
 * This module has no database and no private key: an auditor's verifier needs only the public key.
 */

export type Checkpoint = { runId: string; seq: number; headHash: string; keyId: string; signature: string };

/** The exact bytes that are signed: RFC 8785 canonical JSON, versioned. */
export function checkpointMessage(c: Pick<Checkpoint, 'runId' | 'seq' | 'headHash'>): Buffer {
  return Buffer.from(canonicalize({ type: 'mandate.checkpoint.v1', runId: c.runId, seq: c.seq, headHash: c.headHash })!, 'utf8');
}

/** `ed25519:` + the first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
export function keyIdOf(publicKey: KeyObject): string {
  return `ed25519:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16)}`;
}

export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 public key, got ${key.asymmetricKeyType}`);
  return key;
}

export function checkpointSignatureValid(publicKey: KeyObject, c: Checkpoint): boolean {
  try {
    return verify(null, checkpointMessage(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}
