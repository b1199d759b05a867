import type { SignedTreeHead } from '../log/tree-head.js';

/** Names and shapes of a bundle, shared by the exporter and the verifier. */
export const BUNDLE_FORMAT = 'palabre-audit-bundle/1';

export const BUNDLE_FILES = {
  manifest: 'manifest.json',
  readme: 'README.md',
  publicKey: 'public-key.pem',
  treeHeads: 'tree-heads.json',
  jsonl: 'events.jsonl',
  csv: 'events.csv',
  geojson: 'tickets.geojson',
  proposalsCsv: 'proposals.csv',
  proposalsGeojson: 'proposals.geojson',
  projectsCsv: 'projects.csv',
  projectsGeojson: 'projects.geojson',
} as const;

/**
 * The pieces of an events.jsonl line as the exporter writes it:
 * `{"leafIndex":N,"event":E,"inclusionProof":["…",…],"treeSize":M}`. The verifier reads lines in
 * exactly this layout by position (anything else it parses as plain JSON).
 */
export const JSONL_LAYOUT = { head: '{"leafIndex":', event: ',"event":', proof: ',"inclusionProof":', size: ',"treeSize":', end: '}' } as const;

export const exportFormats = ['jsonl', 'csv', 'geojson'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Which events an export holds; null = no restriction. Times are ISO-8601 instants. */
export interface ExportScope {
  readonly communeId: string | null;
  /** Inclusive lower bound on `recordedAt`. */
  readonly from: string | null;
  /** Inclusive upper bound on `recordedAt`. */
  readonly to: string | null;
  /** Stream types (`ticket`, `staff`, `access` …). */
  readonly streamTypes: readonly string[] | null;
  /** Left out whatever `streamTypes` says (`staff` streams hold usernames). */
  readonly excludedStreamTypes: readonly string[];
}

export interface BundleFile {
  readonly sha256: string;
  readonly bytes: number;
  readonly records: number;
}

export interface Manifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly createdAt: string;
  readonly requestedByRole: string | null;
  readonly scope: ExportScope;
  /** Leaves scanned: [first, end) of the log, in the tree of `treeHead.treeSize`. */
  readonly leafRange: { readonly first: number; readonly end: number };
  readonly treeHead: SignedTreeHead;
  readonly staffNames: 'pseudonymised' | 'included';
  readonly files: Record<string, BundleFile>;
  /** Tickets, proposals and projects: those in the readable files (absent from bundles made before proposals and projects were). */
  readonly counts: { readonly events: number; readonly tickets: number; readonly proposals?: number; readonly projects?: number };
  readonly hashing: Record<string, string>;
  readonly warnings: readonly string[];
}

/** One line of events.jsonl. */
export interface JsonlRecord {
  readonly leafIndex: number;
  readonly event: unknown;
  readonly inclusionProof: readonly string[];
  readonly treeSize: number;
}

export interface TreeHeadsFile {
  readonly treeHeads: readonly SignedTreeHead[];
  /** Between each head and the next, in size order. */
  readonly consistency: readonly { readonly fromSize: number; readonly toSize: number; readonly proof: readonly string[] }[];
}

/** The moment readable states are judged at (answer deadlines): the signed head, or the scope's end before it. */
export const rangeEnd = (scope: ExportScope, head: SignedTreeHead): string => (scope.to !== null && scope.to < head.timestamp ? scope.to : head.timestamp);

export const HASHING_DESCRIPTION: Record<string, string> = {
  leaf: 'SHA-256(0x00 || UTF-8 bytes of the RFC 8785 canonical JSON of the event envelope {id, stream, revision, type, data, metadata, recordedAt})',
  node: 'SHA-256(0x01 || left || right), RFC 6962 §2.1 Merkle tree over the global log in commit order',
  inclusionProof: 'RFC 9162 §2.1.3 audit path, leaf to root, base64',
  consistencyProof: 'RFC 9162 §2.1.4, base64',
  treeHeadSignature: 'Ed25519 over the RFC 8785 canonical JSON of {"rootHash","timestamp","treeSize"}',
};
