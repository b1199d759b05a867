import { encodePlusCode } from '@palabre/domain/geo/plus-code';
import { IonButton, IonIcon, IonItem, IonSpinner, useIonRouter } from '@ionic/react';
import { locateOutline } from 'ionicons/icons';
import { useCallback, useEffect, useState } from 'react';
import { useServices } from '../app/context.tsx';
import { TextField } from '../components/Field.tsx';
import { Page } from '../components/Page.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { LazyMap } from '../map/LazyMap.tsx';
import { communeCentre, placeOf } from '../reference/places.ts';
import { useReference } from '../reference/reference.ts';
import { useDraft } from './draft.tsx';
import { currentPosition } from './geolocate.ts';

/** Beyond this, the fix may be on the wrong street: say so and invite a correction. */
const poorAccuracyMetres = 50;

/** Screen 3 of 4: the GPS fix with its accuracy, a pin to correct it, a landmark, the Plus Code. */
export function PositionStep() {
  const { t } = useI18n();
  const { reference } = useServices();
  const { communes } = useReference(reference);
  const { draft, update } = useDraft();
  const router = useIonRouter();
  const [locating, setLocating] = useState(false);
  const [unavailable, setUnavailable] = useState(false);

  const locate = useCallback(async () => {
    setLocating(true);
    setUnavailable(false);
    try {
      update({ position: await currentPosition(), positionSource: 'gps' });
    } catch {
      setUnavailable(true);
    } finally {
      setLocating(false);
    }
  }, [update]);

  useEffect(() => {
    if (!draft.position) void locate();
    // Only on arrival: a position chosen by hand must not be replaced by a late fix.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

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
        {locating && (
          <p>
            <IonSpinner name="dots" aria-hidden="true" /> {t('report.position.locating')}
          </p>
        )}
        {!locating && unavailable && !position && <p className="callout callout--warning">{t('report.position.denied')}</p>}
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

      <LazyMap
        center={position ?? fallbackCentre}
        zoom={position ? 16 : 13}
        communes={communes ?? []}
        pin={position}
        onPinMove={movePin}
        label={t('report.position.mapHint')}
        fallback={<p className="callout">{t('report.position.mapUnavailable')}</p>}
      />
      <p className="hint">{t('report.position.mapHint')}</p>

      <div className="position-facts">
        {position && (
          <p data-testid="plus-code">
            {t('report.position.plusCode', { code: encodePlusCode(position.lat, position.lon) })}
            {place && ` · ${place.quartier ? `${place.quartier.name}, ` : ''}${place.commune.name}`}
          </p>
        )}
        <IonButton fill="outline" onClick={() => void locate()} disabled={locating}>
          <IonIcon slot="start" icon={locateOutline} aria-hidden="true" />
          {t('report.position.retry')}
        </IonButton>
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
