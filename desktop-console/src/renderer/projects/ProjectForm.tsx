import { useRef, useState } from 'react';
import type { CommuneInfo } from '../api/types.js';
import { ChoiceField } from '../app/fields.js';
import { ProblemLine, useSubmission } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import type { ProposalView } from '../proposals/proposals-api.js';
import { type Currency, currencies, type ProjectsApi } from './projects-api.js';

/**
 * A new project: from the accepted proposals ticked in the grid (it carries them out, in their
 * commune), or directly as a subproject of the commune's programme. Its stages are the programme's.
 */
export function ProjectForm({
  api,
  communes,
  communeId,
  proposals,
  onCreated,
  onCancel,
}: {
  api: ProjectsApi;
  /** The communes the officer works in: a direct project names one. */
  communes: readonly CommuneInfo[];
  communeId: string;
  proposals: readonly ProposalView[];
  onCreated: (id: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [title, setTitle] = useState(proposals.length === 1 ? proposals[0]!.title.slice(0, 200) : '');
  const [description, setDescription] = useState(proposals.length === 1 ? proposals[0]!.description.slice(0, 5000) : '');
  const [commune, setCommune] = useState(proposals[0]?.communeId ?? communeId);
  const [currency, setCurrency] = useState<Currency>('XAF');
  const [attempted, setAttempted] = useState(false);
  const { sending, problem, submit } = useSubmission();
  // One key per project written: a second click, or a retry after a lost answer, creates it once.
  const key = useRef(crypto.randomUUID());
  const titleMissing = attempted && title.trim().length < 3;
  return (
    <form
      className="project-form action-form"
      aria-label={t('project.new')}
      data-testid="project-form"
      onSubmit={(e) => {
        e.preventDefault();
        setAttempted(true);
        if (title.trim().length < 3) return;
        void submit(async () =>
          onCreated(
            await api.create(
              { communeId: commune, title: title.trim(), currency, ...(description.trim() ? { description: description.trim() } : {}), ...(proposals.length > 0 ? { proposalIds: proposals.map((p) => p.id) } : {}) },
              key.current,
            ),
          ),
        );
      }}
    >
      <h2>{proposals.length > 0 ? t('project.fromSelected', { count: proposals.length }) : t('project.new')}</h2>
      {proposals.length > 0 && (
        <ul className="project-proposals" data-testid="project-form-proposals">
          {proposals.map((p) => (
            <li key={p.id}>{p.title}</li>
          ))}
        </ul>
      )}
      <label>
        {t('project.title')}
        <input name="projectTitle" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} {...(titleMissing ? { 'aria-invalid': true, 'aria-describedby': 'project-title-error' } : {})} />
        {titleMissing && (
          <span className="field-error" id="project-title-error" role="alert">
            {t('project.error.title')}
          </span>
        )}
      </label>
      <label>
        {t('project.description')}
        <textarea name="projectDescription" rows={3} maxLength={5000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <div className="editor-row">
        {/* Proposals are carried out in their own commune. */}
        <ChoiceField
          label={t('nav.commune')}
          name="projectCommune"
          value={commune}
          choices={communes.map((c) => c.id)}
          choiceLabel={(id) => communes.find((c) => c.id === id)?.name ?? id}
          disabled={proposals.length > 0}
          onChange={setCommune}
        />
        <ChoiceField label={t('project.currency')} name="projectCurrency" value={currency} choices={currencies} choiceLabel={(c) => t(`currency.${c}`)} onChange={setCurrency} />
      </div>
      <p className="muted">{t('project.programmeHint')}</p>
      <ProblemLine problem={problem} />
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={sending}>
          {t('project.create')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}
