import { IonButton, IonIcon, useIonRouter } from '@ionic/react';
import { useServices } from '../../app/context.tsx';
import { Page } from '../../components/Page.tsx';
import { categoryIcon } from '../../reference/icons.ts';
import { useReference } from '../../reference/reference.ts';
import { useProposalDraft } from '../draft.ts';
import { useProposalsI18n } from '../messages.ts';
import { useMe, VerifyPhone } from '../parts.tsx';

/** Screen 1 of 4: what the idea is about, one tap on a big tile labelled in both official languages. */
export function CategoryStep() {
  const { t, language } = useProposalsI18n();
  const { reference } = useServices();
  const { categories, failed } = useReference(reference);
  const { draft, update } = useProposalDraft();
  const me = useMe();
  const router = useIonRouter();
  const other = language === 'fr' ? 'en' : 'fr';

  return (
    <Page title={t('proposals.propose')} back="/proposals" ready={categories !== null || failed}>
      <p className="step">{t('propose.step', { n: 1 })}</p>
      <h1 className="screen-title">{t('propose.category.title')}</h1>
      {me?.level === 'device' && <VerifyPhone />}
      <p className="hint">{t('propose.category.hint')}</p>
      {!categories && failed && (
        <div role="alert" className="callout callout--warning">
          <p>{t('report.category.loadFailed')}</p>
          <IonButton fill="outline" onClick={() => void reference.refresh()}>
            {t('outbox.retryNow')}
          </IonButton>
        </div>
      )}
      <div className="category-grid">
        {categories?.map((category) => (
          <button
            key={category.id}
            type="button"
            className="category-tile"
            aria-pressed={draft.category === category.id}
            data-category={category.id}
            onClick={() => {
              update({ category: category.id });
              router.push('/proposals/new/photos', 'forward');
            }}
          >
            <IonIcon icon={categoryIcon(category.icon)} aria-hidden="true" />
            <span className="category-label">{category.labels[language]}</span>
            <span className="category-label-other" lang={other}>
              {category.labels[other]}
            </span>
          </button>
        ))}
      </div>
    </Page>
  );
}
