import { formatReceiptCode } from '@palabre/domain/consultation/receipt';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import type { BallotAnswer, ConsultationDetail, ReceiptRecord } from '../api/types.ts';
import { useServices } from '../app/context.tsx';
import { Page } from '../components/Page.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { BallotCheck } from './check-ballot.ts';
import { pinAuditKey, pinnedAuditKey } from './receipts.ts';

/**
 * "Check my ballot": the phone fetches the ballot by its receipt and checks, itself, that the log's
 * event says these answers, that it is a leaf of the log, that the proof leads to the root, and that
 * the root is signed by the audit key this phone saw first.
 */
export function CheckBallotPage() {
  const { code } = useParams<{ code: string }>();
  const { t, language } = useI18n();
  const { api } = useServices();
  const [record, setRecord] = useState<ReceiptRecord | null>(null);
  const [consultation, setConsultation] = useState<ConsultationDetail | null>(null);
  const [check, setCheck] = useState<BallotCheck | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    void (async () => {
      try {
        const found = await api.receipt(code!);
        setRecord(found);
        // The questions and choices in words; the ids alone if the consultation cannot be read.
        api.consultation(found.consultationId).then(setConsultation, () => undefined);
        let pem = pinnedAuditKey();
        if (!pem) {
          pem = (await api.auditKey()).publicKeyPem;
          pinAuditKey(pem);
        }
        // SHA-256 and the proof's path load with this screen only.
        const { checkBallot } = await import('./check-ballot.ts');
        setCheck(await checkBallot(found, pem));
      } catch {
        setMissing(true);
      }
    })();
  }, [api, code]);

  const step = (ok: boolean, label: string, testId: string) => (
    <li data-testid={testId} data-ok={ok} className={ok ? 'check-ok' : 'check-failed'}>
      <span aria-hidden="true">{ok ? '✓' : '✗'}</span> {label}
    </li>
  );

  return (
    <Page title={t('check.title')} back="/consultations" ready={check !== null || missing}>
      <p className="receipt-code">{formatReceiptCode(code!.toUpperCase())}</p>
      {missing && <p className="callout callout--warning">{t('check.unknown')}</p>}
      {record && (
        <section className="callout">
          <p>{t('check.answers')} :</p>
          <ul>
            {Object.entries(record.answers).map(([questionId, answer]) => {
              const question = consultation?.questions.find((q) => q.id === questionId);
              return (
                <li key={questionId} data-question={questionId}>
                  {question ? question.text[language] : questionId} : {answerInWords(answer, question, language)}
                </li>
              );
            })}
          </ul>
          <p className="hint">{new Date(record.castAt).toLocaleString(language)}</p>
        </section>
      )}
      {check && check.pending && <p className="callout">{t('check.pending')}</p>}
      {check && !check.pending && (
        <ul className="check-steps">
          {step(check.sameAnswers, t('check.answers'), 'check-answers')}
          {step(check.leafMatches, t('check.leaf'), 'check-leaf')}
          {step(check.included, t('check.included'), 'check-included')}
          {step(check.signed, t('check.signed'), 'check-signed')}
          {record && step(record.counted, record.counted ? t('check.counted') : t('check.notCounted'), 'check-counted')}
        </ul>
      )}
    </Page>
  );
}

/** An answer as the resident chose it: the option labels, the scale value, the text. */
function answerInWords(answer: BallotAnswer, question: ConsultationDetail['questions'][number] | undefined, language: 'fr' | 'en'): string {
  const label = (id: string) => (question && 'options' in question ? (question.options.find((o) => o.id === id)?.label[language] ?? id) : id);
  if (Array.isArray(answer)) return answer.map(label).join(', ');
  return typeof answer === 'string' ? label(answer) : String(answer);
}
