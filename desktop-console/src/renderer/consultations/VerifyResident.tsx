import type { IdentityLevel } from '@palabre/domain';
import { useState } from 'react';
import type { CommuneInfo } from '../api/types.js';
import { ProblemLine, useSubmission } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import { CitizenCodeInput } from './CitizenCodeInput.js';
import type { ConsultationsApi } from './consultations-api.js';

/**
 * The agent's identity check: the resident shows the QR code of their app and an identity document;
 * the agent records the document's number (kept only as a keyed hash: one document, one resident)
 * and, if the document shows it, the date of birth (in the vault: what adults-only consultations need).
 */
export function VerifyResident({ commune, api }: { commune: CommuneInfo; api: ConsultationsApi }) {
  const { t } = useI18n();
  const [citizenId, setCitizenId] = useState('');
  const [documentNumber, setDocumentNumber] = useState('');
  const [quartierId, setQuartierId] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const { sending, problem, submit } = useSubmission();
  const [done, setDone] = useState<{ level: IdentityLevel; censusMatch: boolean } | null>(null);

  const verify = () => {
    setDone(null);
    return submit(async () => {
      setDone(await api.verifyInPerson(citizenId.trim().toUpperCase(), documentNumber, quartierId || null, birthDate || null));
      setCitizenId('');
      setDocumentNumber('');
      setBirthDate('');
    });
  };

  return (
    <form
      className="verify-resident"
      aria-label={t('verify.title')}
      data-testid="verify-resident"
      onSubmit={(e) => {
        e.preventDefault();
        void verify();
      }}
    >
      <h2>{t('verify.title')}</h2>
      <p className="muted">{t('verify.hint')}</p>
      <CitizenCodeInput value={citizenId} onChange={setCitizenId} />
      <label>
        {t('verify.document')}
        <input type="text" name="documentNumber" autoComplete="off" value={documentNumber} onChange={(e) => setDocumentNumber(e.target.value)} />
      </label>
      <label>
        {t('verify.birthDate')}
        <input type="date" name="birthDate" min="1900-01-01" max={new Date().toISOString().slice(0, 10)} value={birthDate} onChange={(e) => setBirthDate(e.target.value)} />
        <span className="muted">{t('verify.birthDateHint')}</span>
      </label>
      <label>
        {t('verify.quartier')}
        <select name="quartierId" value={quartierId} onChange={(e) => setQuartierId(e.target.value)}>
          <option value="">{t('verify.quartierFromCensus')}</option>
          {commune.quartiers.map((q) => (
            <option key={q.id} value={q.id}>
              {q.name}
            </option>
          ))}
        </select>
      </label>
      <ProblemLine problem={problem} />
      {done && (
        <p className="success" role="status" data-testid="verified">
          {t('verify.done', { level: t(`level.${done.level}`) })} {done.censusMatch ? t('verify.onCensus') : t('verify.notOnCensus')}
        </p>
      )}
      <button type="submit" className="primary" disabled={sending || !citizenId.trim() || !documentNumber.trim()}>
        {t('verify.record')}
      </button>
    </form>
  );
}
