import { useIonRouter } from '@ionic/react';
import { useServices } from '../app/context.tsx';
import { CategoryTiles } from '../components/CategoryTiles.tsx';
import { Page } from '../components/Page.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useReference } from '../reference/reference.ts';
import { useDraft } from './draft.tsx';

/** Screen 1 of 4: one tap on a big tile, labelled in both official languages. */
export function CategoryStep() {
  const { t } = useI18n();
  const { reference } = useServices();
  const categories = useReference(reference);
  const { draft, update } = useDraft();
  const router = useIonRouter();

  return (
    <Page title={t('tabs.report')} ready={categories.categories !== null || categories.failed}>
      <p className="step">{t('report.step', { n: 1 })}</p>
      <h1 className="screen-title">{t('report.category.title')}</h1>
      <p className="hint">{t('report.category.hint')}</p>
      <CategoryTiles
        reference={categories}
        selected={draft.category}
        onChoose={(category) => {
          if (draft.category !== category) update({ category, subcategory: null });
          router.push('/report/photo', 'forward');
        }}
      />
    </Page>
  );
}
