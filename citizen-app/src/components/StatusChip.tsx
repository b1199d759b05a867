import type { TicketStatus } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { statusColours } from '../map/status-colours.ts';

/** The status in words and colour (the words carry the meaning; the colour only helps). */
export function StatusChip({ status }: { status: TicketStatus }) {
  const { t } = useI18n();
  return (
    <span className="status-chip" style={{ backgroundColor: statusColours[status] }} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}
