import { useI18n } from '../i18n/i18n.tsx';
import type { AppOutboxEntry } from '../outbox/api-transport.ts';
import { OutboxCard } from './OutboxCard.tsx';

/** What is still on the phone, under its count; nothing when all has gone out. */
export function OutboxSection({ entries, sendingKey, headingId }: { entries: readonly AppOutboxEntry[]; sendingKey: string | null; headingId: string }) {
  const { t } = useI18n();
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="outbox">
      <h2 id={headingId} className="section-title" data-testid="outbox-count">
        {t('outbox.count', { n: entries.length })}
      </h2>
      {entries.map((entry) => (
        <OutboxCard key={entry.key} entry={entry} sending={sendingKey === entry.key} />
      ))}
    </section>
  );
}
