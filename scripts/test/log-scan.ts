// After the end-to-end run: the server's captured output must hold no credential or secret, and must
// hold the structured access log (so an empty or unparsed log cannot pass for a clean one).

/** Shapes of secrets that must never reach a log, whatever the value. */
export const SECRET_SHAPES: { name: string; regex: RegExp }[] = [
  { name: 'agent or run token', regex: /md[tr]_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{20,}/ },
  { name: 'bearer credential', regex: /Bearer\s+(?!mdt_…|mdr_…)[A-Za-z0-9._~+/-]{16,}/ },
  { name: 'session cookie', regex: /next-auth\.session-token=[^;\s]{16,}/ },
  { name: 'password hash', regex: /\$argon2id\$v=\d+\$/ },
  { name: 'private key', regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

export type LogScan = { lines: number; accessLines: number; withRequestId: number; findings: string[] };

/** Scans captured output for secret shapes and for the exact secret values the run used. */
export function scanLog(text: string, secrets: { name: string; value: string }[]): LogScan {
  const lines = text.split('\n').filter(Boolean);
  const findings: string[] = [];
  let accessLines = 0;
  let withRequestId = 0;
  lines.forEach((line, i) => {
    for (const { name, regex } of SECRET_SHAPES) if (regex.test(line)) findings.push(`line ${i + 1}: ${name}`);
    for (const { name, value } of secrets) if (value && value.length >= 8 && line.includes(value)) findings.push(`line ${i + 1}: ${name}`);
    if (line.startsWith('{')) {
      try {
        const entry = JSON.parse(line) as { msg?: string; requestId?: string };
        if (entry.msg === 'api request') accessLines++;
        if (typeof entry.requestId === 'string' && entry.requestId.length >= 8) withRequestId++;
      } catch {
        // not a log object; still scanned above
      }
    }
  });
  return { lines: lines.length, accessLines, withRequestId, findings };
}
