import { useMemo } from 'react';
import type { BallotAnswer, ConsultationDetail } from '../api/types.ts';
import { useServices } from '../app/context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { LazyMap } from '../map/LazyMap.tsx';
import type { MapMarker } from '../map/MapView.tsx';
import { useReference } from '../reference/reference.ts';

const separator = ' ';

/**
 * The options that say where they are, one marker each, numbered in ballot order and framed on the
 * map. Without one there is no map, and its code is never fetched. With `onChoose`, a tap on the
 * marker of a single-choice option chooses it.
 */
export function OptionsMap({ consultation, answers, onChoose }: { consultation: ConsultationDetail; answers: Record<string, BallotAnswer>; onChoose?: (questionId: string, optionId: string) => void }) {
  const { t, language } = useI18n();
  const { reference } = useServices();
  const { communes } = useReference(reference);
  const markers = useMemo(
    () =>
      consultation.questions.flatMap((q) =>
        'options' in q
          ? q.options.flatMap((o) =>
              // The API's ids are letters, digits and . _ : - only: a space cannot be in one.
              o.point ? [{ id: q.id + separator + o.id, ...o.point, label: o.label[language], selected: [answers[q.id]].flat().includes(o.id), selectable: q.kind === 'single' }] : [],
            )
          : [],
      ).map((m, i): MapMarker => ({ ...m, badge: String(i + 1) })),
    [consultation, answers, language],
  );

  if (markers.length === 0) return null;
  return (
    <div className="options-map">
      <LazyMap
        communes={communes ?? []}
        markers={markers}
        onPointSelect={onChoose && ((id) => onChoose(...(id.split(separator) as [string, string])))}
        label={t('consultations.map')}
        fallback={null}
      />
      {onChoose && markers.some((m) => m.selectable) && <p className="hint">{t('consultations.mapHint')}</p>}
    </div>
  );
}
