import { BUNDLE_FILES, type Manifest, rangeEnd } from './format.js';

/** What the readable views of proposals and projects hold, for the bundles that have them. */
function participationSection(m: Manifest): string {
  const has = (name: string) => m.files[name] !== undefined;
  const parts: string[] = [];
  if (has(BUNDLE_FILES.proposalsCsv) || has(BUNDLE_FILES.proposalsGeojson)) {
    parts.push(`- \`proposals.csv\` — one row per proposal, as of the end of the export (\`proposals.geojson\`: those with a
  point, at it). \`state\` is hidden, withdrawn or merged, else the commune's answer, else open.
  \`supports\` counts the distinct citizens supporting it or a proposal merged into it, each once,
  withdrawn supports not counted. \`answer_by\` is \`answer_days\` days after \`threshold_reached_at\` (the
  support event that reached \`support_threshold\`); \`answer_late\` compares it with the first answer,
  or with the end of the range (${rangeEnd(m.scope, m.treeHead)}) when none came. A resident
  author is never named; a group by its own name. \`revision\` and \`last_leaf_index\` name the
  proposal stream's last event, to find in events.jsonl.`);
  }
  if (has(BUNDLE_FILES.projectsCsv) || has(BUNDLE_FILES.projectsGeojson)) {
    parts.push(`- \`projects.csv\` — one row per project: status, stage, percent, budget (planned, committed,
  spent, in the project's currency, with the reason given), milestones, the proposals it carries
  out. \`projects.geojson\` — one feature per milestone photo whose place the phone recorded.`);
  }
  return parts.length === 0
    ? ''
    : `\n## Proposals and projects\n\nFolded from the proposal-, support- and project- events of this bundle with Palabre's own rules; the
first columns are those of the commune's public open data, so the two can be compared.

${parts.join('\n')}\n`;
}

/** The README a bundle's reader opens first: what is inside, and how to check it without us. */
export function bundleReadme(m: Manifest): string {
  const scope = [
    `commune: ${m.scope.communeId ?? 'all'}`,
    `recorded from: ${m.scope.from ?? 'the beginning'}`,
    `recorded to: ${m.scope.to ?? 'the tree head'}`,
    `stream types: ${m.scope.streamTypes?.join(', ') ?? 'all'}`,
  ];
  const files = Object.entries(m.files).map(([name, f]) => `- \`${name}\` — ${f.records.toLocaleString('en-US')} records, ${f.bytes.toLocaleString('en-US')} bytes, SHA-256 ${f.sha256}`);
  return `# Palabre audit bundle

Exported ${m.createdAt} from a Palabre event log. It lets you check, on your own computer and
without trusting the server that produced it, that none of the events below was altered, removed
or reordered after it was recorded.

Scope: ${scope.join('; ')}.
Signed tree head: ${m.treeHead.treeSize.toLocaleString('en-US')} events, root \`${m.treeHead.rootHash}\`, signed ${m.treeHead.timestamp} by key ${m.treeHead.keyId}.

## Files

- \`manifest.json\` — scope, the tree head the proofs lead to, the digest of every file.
- \`public-key.pem\` — the Ed25519 key that signs tree heads. Compare it with the key you obtained
  separately (GET /api/audit/public-key on the municipality's server, a letter, the previous
  bundle); a bundle can only vouch for itself up to its key.
- \`tree-heads.json\` — every signed tree head up to this export's, with a consistency proof from
  each head to the next: the log only ever grew, nothing earlier was rewritten.
${files.join('\n')}

## Verify

    npx palabre-audit verify <this directory> [--public-key key-you-trust.pem]

in a clone of Palabre's sources, after \`npm ci\` (the command builds the verifier from them on
first use and fetches nothing). It prints VALID and exits 0, or names the first failing position
and exits 1. It recomputes every leaf, checks every inclusion proof, every signature and every
consistency proof.

## How the proofs work (to check them with your own tools)

- Event envelope: \`{id, stream, revision, type, data, metadata, recordedAt}\` — the \`event\`
  member of each line of events.jsonl, exactly as the log holds it.
- Leaf hash: ${m.hashing.leaf}.
- Tree: ${m.hashing.node}. Leaf index = position in the global log (commit order).
- Inclusion proof: ${m.hashing.inclusionProof}, against the root of the tree head in the manifest.
- Consistency proof: ${m.hashing.consistencyProof}.
- Tree head signature: ${m.hashing.treeHeadSignature}; \`timestamp\` is ISO-8601 UTC with
  milliseconds, \`rootHash\` base64, \`treeSize\` an integer. Example of the signed bytes:
  \`{"rootHash":"${m.treeHead.rootHash}","timestamp":"${m.treeHead.timestamp}","treeSize":${m.treeHead.treeSize}}\`

${participationSection(m)}
## Personal data

No names, phone numbers or e-mail addresses are in this bundle. Citizens' contact details live in
an encrypted vault outside the log; events carry only a vault subject id (\`contactSubjectId\`),
and \`contactStatus\` says whether that person's data is still held or was erased at their request
(erasure destroys the vault key; the log and every proof above stay valid).

events.jsonl holds each envelope verbatim, because the proofs are over those exact bytes: people
appear in it only as opaque account ids (staff) and keyed pseudonyms (citizens). Staff account
streams (which hold usernames) are ${m.scope.streamTypes?.includes('staff') && m.staffNames === 'included' ? 'included: the requester may see staff names' : 'left out unless the requester may see staff names'}.
The readable files (events.csv, tickets.geojson, proposals and projects) show people as pseudonyms drawn with a salt that
was never stored (stable within this bundle, unlinkable to any other)${m.staffNames === 'included' ? ', except staff, shown by username as the requester may see them' : ''}.
For confidential tickets they also withhold free text and round locations to about 1 km.

## Limits

- events.csv, tickets.geojson and the proposals and projects files are readable views derived
  from the same events; they are not themselves proven (only their digests are listed). Check them
  against events.jsonl. A proposal or project whose stream began before the range is completed from
  the log; supports last changed before the range are not counted.
- A scoped export proves that every event it holds is in the log, unaltered and in place; within
  each stream the revisions it holds must follow each other, so an event removed from the middle of
  a stream shows. An export with no commune or stream-type filter must hold every leaf of its range.
${m.warnings.length > 0 ? `\n## Warnings from the exporter\n\n${m.warnings.map((w) => `- ${w}`).join('\n')}\n` : ''}`;
}
