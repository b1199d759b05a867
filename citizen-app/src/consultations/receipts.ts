import { readCached, writeCached } from '../reference/cache.ts';

const receiptsKey = 'palabre.receipts';

export interface KeptReceipt {
  readonly consultationId: string;
  readonly receipt: string;
  readonly castAt: string;
}

/** The receipts of this phone's ballots, newest first: a later ballot's receipt is the one that counts. */
export function keptReceipts(consultationId: string): KeptReceipt[] {
  return (readCached<KeptReceipt[]>(receiptsKey) ?? []).filter((r) => r.consultationId === consultationId);
}

export function keepReceipt(receipt: KeptReceipt): void {
  const all = readCached<KeptReceipt[]>(receiptsKey) ?? [];
  if (all.some((r) => r.receipt === receipt.receipt)) return;
  writeCached(receiptsKey, [receipt, ...all].slice(0, 200));
}

/** The audit key as this phone first saw it: later checks trust it, not whatever the server says next. */
const auditKeyKey = 'palabre.auditKey';
export const pinnedAuditKey = (): string | null => readCached<string>(auditKeyKey);
export const pinAuditKey = (pem: string): void => writeCached(auditKeyKey, pem);
