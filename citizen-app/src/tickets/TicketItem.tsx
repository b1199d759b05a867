import { IonItem, IonLabel } from '@ionic/react';
import type { ReactNode } from 'react';
import type { TicketView } from '../api/types.ts';
import { StatusChip } from '../components/StatusChip.tsx';
import { formatDateTime } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useServices } from '../app/context.tsx';
import { useReference } from '../reference/reference.ts';

/** One report in a list: status in words, what, when; tapping opens the detail. */
export function TicketItem({ ticket, extra, detail = true }: { ticket: TicketView; extra?: ReactNode; detail?: boolean }) {
  const { language } = useI18n();
  const { reference } = useServices();
  const { categories } = useReference(reference);
  const category = categories?.find((c) => c.id === ticket.category);
  const thumbnail = ticket.media[0]?.thumbnailUrl;
  return (
    <IonItem routerLink={detail ? `/reports/${ticket.id}` : undefined} detail={detail} data-testid="ticket" data-ticket-id={ticket.id} data-status={ticket.status}>
      {thumbnail && <img slot="start" src={thumbnail} alt="" className="thumb" loading="lazy" width={56} height={56} />}
      <IonLabel className="ion-text-wrap">
        <StatusChip status={ticket.status} />
        <h2>{category?.labels[language] ?? ticket.category}</h2>
        <p>{ticket.description}</p>
        <p className="hint">
          {ticket.reference} · {formatDateTime(ticket.reportedAt, language)}
        </p>
        {extra}
      </IonLabel>
    </IonItem>
  );
}
