import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkpointMessage, keyIdOf, type Checkpoint } from './checkpoint';

export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; keyId: string; publicPem: string };

let cached: SigningKey | undefined;

/** A new Ed25519 private key as PKCS#8 PEM (what `EVIDENCE_SIGNING_KEY` / its file hold). */
export function generateSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * The evidence signing key, from EVIDENCE_SIGNING_KEY (PEM; `\n` escapes allowed) or the file named by
 * EVIDENCE_SIGNING_KEY_FILE. Never from the database: a database writer must not be able to sign.
 */
export function signingKey(): SigningKey {
  if (cached) return cached;
  const inline = process.env.EVIDENCE_SIGNING_KEY?.replace(/\\n/g, '\n');
  const file = process.env.EVIDENCE_SIGNING_KEY_FILE;
  let pem: string;
  if (inline) pem = inline;
  else if (file) {
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`EVIDENCE_SIGNING_KEY_FILE (${file}) cannot be read: ${(error as Error).message}`);
    }
  } else {
    throw new Error('No evidence signing key: set EVIDENCE_SIGNING_KEY_FILE (or EVIDENCE_SIGNING_KEY) to an Ed25519 private key in PEM. `npm run evidence:keygen` writes one.');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`The evidence signing key is not a readable PEM private key: ${(error as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`The evidence signing key must be Ed25519, not ${privateKey.asymmetricKeyType}.`);
  const publicKey = createPublicKey(privateKey);
  cached = { privateKey, publicKey, keyId: keyIdOf(publicKey), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  return cached;
}

export function signCheckpoint(c: Pick<Checkpoint, 'runId' | 'seq' | 'headHash'>): Checkpoint {
  const key = signingKey();
  return { ...c, keyId: key.keyId, signature: sign(null, checkpointMessage(c), key.privateKey).toString('base64') };
}
