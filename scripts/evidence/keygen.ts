// `npm run evidence:keygen -- --out <file>`: write a new Ed25519 evidence signing key (PEM, mode 0600)
// and print its public half and key id.
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { generateSigningKeyPem } from '../../lib/evidence/signing';
import { keyIdOf } from '../../lib/evidence/checkpoint';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  console.error('Usage: npm run evidence:keygen -- --out <file>');
  process.exit(2);
}
if (existsSync(values.out)) {
  console.error(`${values.out} already exists; not overwriting a signing key.`);
  process.exit(1);
}
const pem = generateSigningKeyPem();
writeFileSync(values.out, pem, { mode: 0o600 });
const publicKey = createPublicKey(createPrivateKey(pem));
console.log(`Wrote ${values.out}. Set EVIDENCE_SIGNING_KEY_FILE=${values.out}\nKey id: ${keyIdOf(publicKey)}\n${publicKey.export({ type: 'spki', format: 'pem' })}`);
