import { IonButton } from '@ionic/react';
import { lazy, Suspense, useEffect, useState } from 'react';
import { ApiError } from '../api/errors.ts';
import type { CitizenMe } from '../api/types.ts';
import { useServices } from '../app/context.tsx';
import { TextField } from '../components/Field.tsx';
import { Page } from '../components/Page.tsx';
import { translateCode } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useReference } from '../reference/reference.ts';

// The QR encoder loads with this section only: the report flow never needs it.
const CitizenQr = lazy(() => import('./CitizenQr.tsx').then((m) => ({ default: m.CitizenQr })));

/** Verify my phone (a code by SMS) and say where I live: what a consultation at the phone level asks. */
export function PhonePage() {
  const { t, language } = useI18n();
  const { api, session, reference } = useServices();
  const { communes } = useReference(reference);
  const [me, setMe] = useState<CitizenMe | null>(null);
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: 'danger' | 'success' } | null>(null);
  const [communeId, setCommuneId] = useState('');
  const [quartierId, setQuartierId] = useState('');

  useEffect(() => {
    api.me().then((found) => {
      setMe(found);
      setCommuneId(found.residence?.communeId ?? '');
      setQuartierId(found.residence?.quartierId ?? '');
    }, () => undefined);
  }, [api]);

  const attempt = async (work: () => Promise<void>) => {
    setMessage(null);
    try {
      await work();
    } catch (e) {
      setMessage({ text: e instanceof ApiError ? `${translateCode(language, e.code)}${e.problem.detail ? ` (${e.problem.detail})` : ''}` : t('consultations.offline'), tone: 'danger' });
    }
  };

  const verified = me !== null && me.level !== 'device';
  const commune = communes?.find((c) => c.id === communeId);

  return (
    <Page title={t('phone.title')} back="/consultations">
      {verified ? (
        <p className="callout" data-testid="phone-verified">
          {t('phone.verified')}
        </p>
      ) : (
        <section>
          <TextField label={t('phone.number')} type="tel" inputMode="tel" autoComplete="tel" value={phone} onChange={setPhone} testId="phone-number" />
          <IonButton expand="block" fill={sent ? 'outline' : 'solid'} disabled={phone.trim().length < 6} onClick={() => void attempt(async () => setSent((await api.sendPhoneCode(phone)).sentTo))}>
            {t('phone.send')}
          </IonButton>
          {sent && (
            <>
              <p className="hint">{sent}</p>
              <TextField label={t('phone.code')} inputMode="text" autoComplete="one-time-code" value={code} onChange={setCode} testId="phone-code" />
              <IonButton
                expand="block"
                disabled={code.trim().length < 4}
                data-testid="phone-verify"
                onClick={() =>
                  void attempt(async () => {
                    const answer = await api.verifyPhoneCode(code);
                    // This number was verified on another phone before: this phone becomes that citizen.
                    if (answer.recovered && answer.accessToken && answer.refreshToken && answer.expiresIn) session.adopt({ accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresIn: answer.expiresIn }, answer.id);
                    setMe(await api.me());
                  })
                }
              >
                {t('phone.verify')}
              </IonButton>
            </>
          )}
        </section>
      )}

      <section aria-labelledby="residence-heading">
        <h2 id="residence-heading" className="section-title">
          {t('phone.residence')}
        </h2>
        <label className="field">
          <span className="field-label">{t('phone.commune')}</span>
          <select value={communeId} onChange={(e) => (setCommuneId(e.target.value), setQuartierId(''))} data-testid="residence-commune">
            <option value="" />
            {communes?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {commune && (
          <label className="field">
            <span className="field-label">{t('phone.quartier')}</span>
            <select value={quartierId} onChange={(e) => setQuartierId(e.target.value)} data-testid="residence-quartier">
              <option value="">{t('phone.anyQuartier')}</option>
              {commune.quartiers.map((q) => (
                <option key={q.id} value={q.id}>
                  {q.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <IonButton
          expand="block"
          fill="outline"
          disabled={!communeId}
          data-testid="residence-save"
          onClick={() =>
            void attempt(async () => {
              setMe(await api.declareResidence(communeId, quartierId || null));
              setMessage({ text: t('phone.residenceSaved'), tone: 'success' });
            })
          }
        >
          {t('phone.saveResidence')}
        </IonButton>
      </section>
      {me && me.level !== 'in_person' && (
        <section aria-labelledby="qr-heading" className="qr-section">
          <h2 id="qr-heading" className="section-title">
            {t('identity.qrTitle')}
          </h2>
          <p className="hint">{t('identity.qrHint')}</p>
          <Suspense fallback={null}>
            <CitizenQr citizenId={me.id} label={t('identity.qrTitle')} />
          </Suspense>
          <p className="receipt-code" data-testid="citizen-id">
            {me.id}
          </p>
        </section>
      )}
      {message && (
        <p role={message.tone === 'danger' ? 'alert' : 'status'} className={`callout callout--${message.tone === 'danger' ? 'danger' : 'question'}`}>
          {message.text}
        </p>
      )}
    </Page>
  );
}
