import type { TimelineItem } from '../api/types.js';
import { type MessageKey, isMessageKey, useI18n } from '../i18n/i18n.js';
import type { Names } from './names.js';

/** Summary keys come as `ticket.assigned`; the dictionary files them under `timeline.assigned`. */
const summaryOf = (item: TimelineItem) => item.summary.replace(/^ticket\./, '');
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The useful detail of an entry, from its event data. */
function detail(item: TimelineItem, names: Names, t: (k: MessageKey, p?: Record<string, string | number>) => string): string | null {
  const d = item.data;
  const text = str(d.text) ?? str(d.note);
  switch (summaryOf(item)) {
    case 'triaged':
      return [str(d.category) && names.category(str(d.category)), str(d.priority) && isMessageKey(`priority.${String(d.priority)}`) ? t(`priority.${String(d.priority)}` as MessageKey) : null]
        .filter(Boolean)
        .join(' · ');
    case 'routed':
    case 'assigned':
    case 'reassigned':
      return [str(d.teamId) && names.team(str(d.teamId)), str(d.agentId) && names.agent(str(d.agentId))].filter(Boolean).join(' · ') || null;
    case 'rejected': {
      const reason = str(d.reason);
      const label = reason && isMessageKey(`reason.${reason}`) ? t(`reason.${reason}` as MessageKey) : reason;
      return [label, text].filter(Boolean).join(' — ');
    }
    case 'marked_duplicate':
      return str(d.duplicateOf);
    default:
      return text;
  }
}

export function Timeline({ items, names }: { items: readonly TimelineItem[]; names: Names }) {
  const { t, formatDateTime } = useI18n();
  return (
    <ol className="timeline" data-testid="timeline">
      {items.map((item) => {
        const summaryKey = `timeline.${summaryOf(item)}`;
        const who = item.actor ? (item.actor.name ?? (isMessageKey(`role.${item.actor.role}`) ? t(`role.${item.actor.role}` as MessageKey) : item.actor.role === 'citizen' ? t('panel.citizen') : item.actor.role)) : t('panel.system');
        const text = detail(item, names, t);
        return (
          <li key={`${item.revision}-${item.type}`} className={`timeline-item ${item.visibility === 'internal' ? 'internal' : ''}`}>
            <div className="timeline-head">
              <strong>{isMessageKey(summaryKey) ? t(summaryKey) : item.summary}</strong>
              {item.visibility === 'internal' && <span className="badge internal-badge">{t('panel.internal')}</span>}
              <span className="muted">
                {who} · <time dateTime={item.at}>{formatDateTime(item.at)}</time>
              </span>
            </div>
            {text && <p className="timeline-text">{text}</p>}
          </li>
        );
      })}
    </ol>
  );
}
