import type { VerifyReport } from './verify-bundle.js';

const n = (x: number) => x.toLocaleString('en-US');

/** The verifier's answer as a person reads it: what was checked, then VALID or the first failure. */
export function formatVerdict(report: VerifyReport, bundle: string): string {
  const m = report.manifest;
  const lines = [`Palabre audit bundle ${bundle}`];
  if (m) {
    const s = m.scope;
    lines.push(`  scope        commune ${s.communeId ?? 'all'}, ${s.from ?? 'beginning'} → ${s.to ?? 'tree head'}, streams ${s.streamTypes?.join(',') ?? 'all'}`);
    lines.push(`  public key   Ed25519 ${report.keyId ?? '?'}${report.pinnedKey ? ' (checked against the key you gave)' : ' (the bundle’s own: pass --public-key to pin the one you trust)'}`);
    lines.push(`  tree heads   ${n(report.treeHeads)} signed heads, the last over ${n(m.treeHead.treeSize)} events at ${m.treeHead.timestamp}`);
    lines.push(`  events       ${n(report.events)} checked${report.failedEvents > 0 ? `, ${n(report.failedEvents)} failed` : ': every leaf recomputed and proven in the signed tree'}`);
    lines.push(`  files        ${report.files.join(', ') || 'none'}`);
    if (!m.files['events.jsonl']) lines.push('  note         no events.jsonl: only the tree heads could be checked');
    for (const w of m.warnings) lines.push(`  exporter     ${w}`);
  }
  if (report.ok) {
    lines.push(`VALID — no event in this bundle was altered, removed or reordered since tree head ${m ? n(m.treeHead.treeSize) : '?'} was signed.`);
  } else {
    const first = report.firstFailure!;
    lines.push(`INVALID — first failure at ${first.position}: ${first.message}`);
    const others = report.failures.filter((f) => f !== first).slice(0, 9);
    for (const f of others) lines.push(`  also ${f.position}: ${f.message}`);
    if (report.failures.length > others.length + 1) lines.push(`  … ${report.failures.length - others.length - 1} more`);
  }
  return `${lines.join('\n')}\n`;
}
