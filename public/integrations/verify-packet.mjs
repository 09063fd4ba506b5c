#!/usr/bin/env node
// Verifies a Mandate review packet (its JSON export) offline, with the evidence public key alone:
// no database, no network, no dependencies (Node 18+).
//
//   node verify-packet.mjs MDT-12-packet-v1.json --public-key mandate-evidence.pem
//   npx mandate-verify-packet MDT-12-packet-v1.json --public-key mandate-evidence.pem   (inside a Mandate checkout)
//
// It recomputes every receipt hash (SHA-256 over RFC 8785 canonical JSON) and link, checks that the
// signed checkpoint covers the last receipt, verifies the Ed25519 signature, and that the packet's
// own evidence section names the same head. Exit 0: trustworthy; 1: it is not (and why); 2: usage.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** RFC 8785 (JCS) for values that came from JSON.parse: sorted keys, ECMAScript number and string forms. */
function canonical(value) {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

const GENESIS = '0'.repeat(64);
const FIELDS = ['runId', 'seq', 'kind', 'payload', 'clientTimestamp', 'receivedAt', 'idempotencyKey', 'toolUseId', 'violation', 'violationReason'];

function fail(message) {
  console.error(`✗ NOT VERIFIED: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const keyAt = args.indexOf('--public-key');
const file = args.find((a, i) => !a.startsWith('--') && i !== keyAt + 1);
if (!file || keyAt < 0 || !args[keyAt + 1]) {
  console.error('usage: node verify-packet.mjs <packet.json> --public-key <public-key.pem>');
  process.exit(2);
}

let doc;
let key;
try {
  doc = JSON.parse(readFileSync(file, 'utf8'));
  key = createPublicKey(readFileSync(args[keyAt + 1], 'utf8'));
} catch (error) {
  console.error(`Cannot read the inputs: ${error.message}`);
  process.exit(2);
}
if (key.asymmetricKeyType !== 'ed25519') fail(`the public key is ${key.asymmetricKeyType}, not Ed25519`);
const keyId = `ed25519:${createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16)}`;

const receipts = doc?.evidence?.receipts;
const checkpoint = doc?.evidence?.checkpoint;
if (!Array.isArray(receipts) || receipts.length === 0) fail('the file has no evidence receipts (is it a packet JSON export?)');
if (!checkpoint) fail('the file has no signed checkpoint');

let head = GENESIS;
for (const [i, r] of receipts.entries()) {
  const seq = i + 1;
  if (r.seq !== seq) fail(`receipt ${seq} is missing (found seq ${r.seq})`);
  if (r.runId !== checkpoint.runId) fail(`receipt ${seq} belongs to another run`);
  if (r.prevHash !== head) fail(`receipt ${seq} does not point at receipt ${seq - 1}`);
  const body = { prevHash: r.prevHash };
  for (const f of FIELDS) body[f] = r[f];
  const hash = createHash('sha256').update(canonical(body)).digest('hex');
  if (hash !== r.hash) fail(`receipt ${seq} was changed after it was written`);
  head = hash;
}
if (checkpoint.seq !== receipts.length) fail(`the signed checkpoint covers ${checkpoint.seq} receipts, the file holds ${receipts.length}`);
if (checkpoint.headHash !== head) fail('the receipts do not end at the signed chain head: the chain was rewritten');
if (checkpoint.keyId !== keyId) fail(`the checkpoint was signed by ${checkpoint.keyId}, and this public key is ${keyId}`);
const message = Buffer.from(canonical({ type: 'mandate.checkpoint.v1', runId: checkpoint.runId, seq: checkpoint.seq, headHash: checkpoint.headHash }), 'utf8');
if (!verify(null, message, key, Buffer.from(checkpoint.signature, 'base64'))) fail('the checkpoint signature does not verify with this public key');
const packetHead = doc?.packet?.evidence?.headHash;
if (packetHead !== head) fail('the packet names a different chain head than its evidence');

const p = doc.packet;
console.log(`✓ VERIFIED: ${p.contract.ref} "${p.contract.title}", run ${checkpoint.runId}`);
console.log(`  ${receipts.length} receipts, chain intact, head ${head}`);
console.log(`  signed by ${keyId}; ${receipts.filter((r) => r.violation).length} violation(s) recorded; ${doc.frozen ? `frozen packet v${doc.packetVersion}` : 'draft packet (not closed yet)'}`);
if (p.closeOut) console.log(`  ${p.closeOut.outcome.toLowerCase()} by ${p.closeOut.by}: ${p.closeOut.reason}`);
