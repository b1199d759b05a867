import { encodePlusCode } from '@palabre/domain/geo/plus-code';
import { IonButton, IonItem, useIonRouter } from '@ionic/react';
import { useCallback } from 'react';
import { useServices } from '../app/context.tsx';
import { TextField } from '../components/Field.tsx';
import { Page } from '../components/Page.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { GpsProgress, LocateAgain, PinMap, useGpsFix } from '../map/PinPicker.tsx';
import { communeCentre, placeOf } from '../reference/places.ts';
import { useReference } from '../reference/reference.ts';
import { useDraft, type Position } from './draft.tsx';

/** Beyond this, the fix may be on the wrong street: say so and invite a correction. */
const poorAccuracyMetres = 50;

/** Screen 3 of 4: the GPS fix with its accuracy, a pin to correct it, a landmark, the Plus Code. */
export function PositionStep() {
  const { t } = useI18n();
  const { reference } = useServices();
  const { communes } = useReference(reference);
  const { draft, update } = useDraft();
  const router = useIonRouter();
  const gps = useGpsFix(useCallback((position: Position) => update({ position, positionSource: 'gps' }), [update]), draft.position !== null);

  const movePin = useCallback((at: { lat: number; lon: number }) => update({ position: { ...at, accuracy: null }, positionSource: 'pin' }), [update]);

  const position = draft.position;
  const fallbackCentre = communes?.[0] ? communeCentre(communes[0]) : { lat: 5.45, lon: 10.05 };
  const place = position && communes ? placeOf(communes, position) : null;
  const outside = Boolean(position && communes && !place);

  return (
    <Page
      title={t('tabs.report')}
      back="/report/photo"
      footer={
        <IonButton expand="block" size="large" disabled={!position || outside} onClick={() => router.push('/report/details', 'forward')} data-testid="position-next">
          {t('report.next')}
        </IonButton>
      }
    >
      <p className="step">{t('report.step', { n: 3 })}</p>
      <h1 className="screen-title">{t('report.position.title')}</h1>

      <div className="position-status" role="status" aria-live="polite">
        <GpsProgress gps={gps} placeChosen={position !== null} />
        {position && draft.positionSource === 'gps' && position.accuracy !== null && (
          <p data-testid="accuracy" className={position.accuracy > poorAccuracyMetres ? 'callout callout--warning' : undefined}>
            {t(position.accuracy > poorAccuracyMetres ? 'report.position.accuracyPoor' : 'report.position.accuracy', { m: Math.round(position.accuracy) })}
          </p>
        )}
        {position && draft.positionSource === 'pin' && <p>{t('report.position.moved')}</p>}
        {outside && (
          <p role="alert" className="callout callout--danger">
            {t('report.position.outside')}
          </p>
        )}
      </div>

      <PinMap center={position ?? fallbackCentre} pin={position} communes={communes ?? []} onPinMove={movePin} />

      <div className="position-facts">
        {position && (
          <p data-testid="plus-code">
            {t('report.position.plusCode', { code: encodePlusCode(position.lat, position.lon) })}
            {place && ` · ${place.quartier ? `${place.quartier.name}, ` : ''}${place.commune.name}`}
          </p>
        )}
        <LocateAgain gps={gps} />
      </div>

      <IonItem lines="full">
        <TextField
          label={t('report.position.landmark')}
          placeholder={t('report.position.landmarkPlaceholder')}
          value={draft.landmark}
          maxLength={300}
          onChange={(landmark) => update({ landmark })}
          testId="landmark"
        />
      </IonItem>
    </Page>
  );
}
