import { IonButton, IonIcon, useIonRouter } from '@ionic/react';
import { useServices } from '../app/context.tsx';
import { Page } from '../components/Page.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { categoryIcon } from '../reference/icons.ts';
import { useReference } from '../reference/reference.ts';
import { useDraft } from './draft.tsx';

/** Screen 1 of 4: one tap on a big tile, labelled in both official languages. */
export function CategoryStep() {
  const { t, language } = useI18n();
  const { reference } = useServices();
  const { categories, failed } = useReference(reference);
  const { draft, update } = useDraft();
  const router = useIonRouter();
  const other = language === 'fr' ? 'en' : 'fr';

  return (
    <Page title={t('tabs.report')} ready={categories !== null || failed}>
      <p className="step">{t('report.step', { n: 1 })}</p>
      <h1 className="screen-title">{t('report.category.title')}</h1>
      <p className="hint">{t('report.category.hint')}</p>
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
              if (draft.category !== category.id) update({ category: category.id, subcategory: null });
              router.push('/report/photo', 'forward');
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
