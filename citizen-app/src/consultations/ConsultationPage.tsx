import { IonButton } from '@ionic/react';
import { formatReceiptCode } from '@palabre/domain/consultation/receipt';
import { useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError } from '../api/errors.ts';
import { apiOrigin } from '../api/origin.ts';
import { randomId } from '../api/random-id.ts';
import type { BallotAnswer, CitizenMe, ConsultationDetail, ConsultationQuestion, ConsultationResults } from '../api/types.ts';
import { useOnline, useServices } from '../app/context.tsx';
import { Page } from '../components/Page.tsx';
import { translateCode } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ConsultationPhotos } from './ConsultationPhotos.tsx';
import { statusLine } from './ConsultationsPage.tsx';
import { OptionsMap } from './OptionsMap.tsx';
import { keepReceipt, keptReceipts } from './receipts.ts';

type Answers = Record<string, BallotAnswer>;

/**
 * A consultation as a resident reads it, and the ballot: one tap per answer, then "Vote". A single
 * question is three taps from the list: the consultation, the choice, "Vote". The receipt shows at
 * once, and the vote can be changed until the close (the last one counts).
 */
export function ConsultationPage() {
  const { id } = useParams<{ id: string }>();
  const { t, language } = useI18n();
  const { api, live } = useServices();
  const online = useOnline();
  const [consultation, setConsultation] = useState<ConsultationDetail | null>(null);
  const [missing, setMissing] = useState(false);
  const [me, setMe] = useState<CitizenMe | null>(null);
  const [answers, setAnswers] = useState<Answers>({});
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [receipts, setReceipts] = useState(() => keptReceipts(id!));
  const [results, setResults] = useState<ConsultationResults | null>(null);
  // One key per ballot being written: a retry after a lost answer is the same ballot.
  const [ballotKey, setBallotKey] = useState(() => `b-${randomId()}`);

  useEffect(() => {
    api.consultation(id!).then(setConsultation, () => setMissing(true));
    api.me().then(setMe, () => undefined);
    api.results(id!).then(setResults, () => undefined);
    // Each new count while this screen shows (results shown live, or once closed).
    return live.followConsultation(id!, setResults);
  }, [api, live, id]);

  const levelMissing = useMemo(() => {
    if (!consultation || !me) return null;
    const order = ['device', 'phone', 'in_person'];
    return order.indexOf(me.level) < order.indexOf(consultation.requiredLevel) ? consultation.requiredLevel : null;
  }, [consultation, me]);

  if (!consultation) {
    return (
      <Page title={t('consultations.title')} back="/consultations" ready={missing}>
        {missing && <p className="empty">{t('check.unknown')}</p>}
      </Page>
    );
  }

  const open = consultation.status === 'open';
  const complete = consultation.questions.every((q) => q.kind === 'text' || answers[q.id] !== undefined);
  const latest = receipts[0];

  const vote = async () => {
    setSending(true);
    setError(null);
    try {
      const { receipt } = await api.vote(consultation.id, withoutBlanks(answers), ballotKey);
      keepReceipt({ consultationId: consultation.id, receipt, castAt: new Date().toISOString() });
      setReceipts(keptReceipts(consultation.id));
      setBallotKey(`b-${randomId()}`);
    } catch (e) {
      setError(e instanceof ApiError ? translateCode(language, e.problem.code) + (e.problem.detail ? ` (${e.problem.detail})` : '') : t('consultations.offline'));
    } finally {
      setSending(false);
    }
  };

  // The consultation's public page (server-rendered): it opens in any browser, app installed or not, and leads to the vote.
  const share = async () => {
    const url = `${apiOrigin || location.origin}/c/${consultation.id}`;
    if (navigator.share) await navigator.share({ title: consultation.title[language], url }).catch(() => undefined);
    else await navigator.clipboard?.writeText(url).catch(() => undefined);
  };

  return (
    <Page
      title={t('consultations.title')}
      back="/consultations"
      footer={
        open && !levelMissing ? (
          <IonButton expand="block" disabled={!complete || sending || !online} onClick={() => void vote()} data-testid="vote">
            {sending ? t('consultations.voting') : latest ? t('consultations.changeVote') : t('consultations.vote')}
          </IonButton>
        ) : undefined
      }
    >
      <h1 className="screen-title">{consultation.title[language]}</h1>
      <p className="hint">{statusLine(consultation, t, language)}</p>
      {consultation.description && <p>{consultation.description[language]}</p>}
      <ConsultationPhotos mediaIds={consultation.mediaIds} title={consultation.title[language]} />
      <OptionsMap consultation={consultation} answers={answers} onChoose={open && !levelMissing ? (question, option) => setAnswers((a) => ({ ...a, [question]: option })) : undefined} />
      <IonButton fill="clear" size="small" onClick={() => void share()}>
        {t('consultations.share')}
      </IonButton>

      {latest && (
        <section className="callout" aria-live="polite" data-testid="receipt">
          <p>{t('consultations.voted')}</p>
          <p>
            {t('consultations.receipt')} : <strong className="receipt-code">{formatReceiptCode(latest.receipt)}</strong>
          </p>
          <p className="hint">{t('consultations.receiptHint')}</p>
          <IonButton fill="outline" routerLink={`/consultations/receipts/${latest.receipt}`} data-testid="check-ballot">
            {t('consultations.checkBallot')}
          </IonButton>
        </section>
      )}

      {open && levelMissing && (
        <div className="callout callout--question" role="note">
          <p>{t(levelMissing === 'phone' ? 'consultations.level.phone' : 'consultations.level.in_person')}</p>
          {levelMissing === 'phone' && (
            <IonButton fill="outline" routerLink="/me/phone" data-testid="verify-phone">
              {t('consultations.verifyPhone')}
            </IonButton>
          )}
        </div>
      )}
      {open && !online && <p className="callout callout--warning">{t('consultations.offline')}</p>}
      {error && (
        <p role="alert" className="callout callout--danger">
          {error}
        </p>
      )}

      {open &&
        !levelMissing &&
        consultation.questions.map((q) => <QuestionField key={q.id} question={q} value={answers[q.id]} onChange={(v) => setAnswers((a) => ({ ...a, [q.id]: v }))} />)}

      <Results consultation={consultation} results={results} />
    </Page>
  );
}

function QuestionField({ question, value, onChange }: { question: ConsultationQuestion; value: BallotAnswer | undefined; onChange(value: BallotAnswer): void }) {
  const { t, language } = useI18n();
  const legend = <legend className="section-title">{question.text[language]}</legend>;
  switch (question.kind) {
    case 'single':
      return (
        <fieldset className="question" data-question={question.id}>
          {legend}
          {question.options.map((o) => (
            <button key={o.id} type="button" className="choice" aria-pressed={value === o.id} data-option={o.id} onClick={() => onChange(o.id)}>
              {o.label[language]}
            </button>
          ))}
        </fieldset>
      );
    case 'multiple':
    case 'budget': {
      const chosen = Array.isArray(value) ? value : [];
      const spent = question.kind === 'budget' ? chosen.reduce((sum, id) => sum + (question.options.find((o) => o.id === id)?.cost ?? 0), 0) : 0;
      const toggle = (id: string) => onChange(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
      return (
        <fieldset className="question" data-question={question.id}>
          {legend}
          <p className="hint">
            {question.kind === 'multiple'
              ? t('consultations.chooseUpTo', { n: question.maxChoices })
              : t('consultations.budgetLeft', { amount: (question.budget - spent).toLocaleString(language), total: question.budget.toLocaleString(language) })}
          </p>
          {question.options.map((o) => {
            const on = chosen.includes(o.id);
            const blocked = !on && (question.kind === 'multiple' ? chosen.length >= question.maxChoices : spent + (o.cost ?? 0) > question.budget);
            return (
              <button key={o.id} type="button" className="choice" aria-pressed={on} disabled={blocked} data-option={o.id} onClick={() => toggle(o.id)}>
                {o.label[language]}
                {o.cost !== undefined && <span className="choice-cost"> — {o.cost.toLocaleString(language)} FCFA</span>}
              </button>
            );
          })}
        </fieldset>
      );
    }
    case 'scale':
      return (
        <fieldset className="question scale" data-question={question.id}>
          {legend}
          <div className="scale-row">
            {[1, 2, 3, 4, 5].map((n) => (
              <button key={n} type="button" className="choice" aria-pressed={value === n} data-option={n} onClick={() => onChange(n)} aria-label={n === 1 ? `1 — ${t('consultations.scaleLow')}` : n === 5 ? `5 — ${t('consultations.scaleHigh')}` : String(n)}>
                {n}
              </button>
            ))}
          </div>
        </fieldset>
      );
    case 'text':
      return (
        <label className="field question" data-question={question.id}>
          <span className="field-label">{question.text[language]}</span>
          <textarea rows={3} maxLength={question.maxLength ?? 4000} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
        </label>
      );
  }
}

function Results({ consultation, results }: { consultation: ConsultationDetail; results: ConsultationResults | null }) {
  const { t, language } = useI18n();
  if (!results) return consultation.status === 'open' && consultation.resultsVisibility === 'at_close' ? <p className="hint">{t('consultations.resultsAtClose')}</p> : null;
  return (
    <section aria-labelledby="results-heading" data-testid="results">
      <h2 id="results-heading" className="section-title">
        {t('consultations.results')} — {t('consultations.turnout', { n: results.turnout })}
      </h2>
      {results.questions.map((r) => {
        const question = consultation.questions.find((q) => q.id === r.questionId);
        if (!question || !('options' in question) || !r.options) return null;
        const most = Math.max(1, ...r.options.map((o) => o.votes));
        return (
          <div key={r.questionId} className="result">
            <p>{question.text[language]}</p>
            {r.options.map((o) => (
              <div key={o.optionId} className="result-row" data-result-option={o.optionId} data-votes={o.votes}>
                <span>{question.options.find((x) => x.id === o.optionId)?.label[language]}</span>
                <span className="result-bar" style={{ inlineSize: `${(o.votes / most) * 100}%` }} aria-hidden="true" />
                <span>{t('consultations.votes', { n: o.votes })}</span>
              </div>
            ))}
            {r.winners && <p className="hint">{t('consultations.winners', { items: r.winners.map((w) => question.options.find((x) => x.id === w)?.label[language] ?? w).join(', ') })}</p>}
          </div>
        );
      })}
    </section>
  );
}

const withoutBlanks = (answers: Answers): Answers => Object.fromEntries(Object.entries(answers).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));
