import { IonButton, IonIcon } from '@ionic/react';
import { useServices } from '../app/context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { categoryIcon } from '../reference/icons.ts';
import type { Reference } from '../reference/reference.ts';

interface CategoryTilesProps {
  /** The categories as `useReference` gives them. */
  reference: Pick<Reference, 'categories' | 'failed'>;
  selected: string | null;
  onChoose(categoryId: string): void;
}

/** One big tile per category, labelled in both official languages; a retry when the list could not load. */
export function CategoryTiles({ reference: { categories, failed }, selected, onChoose }: CategoryTilesProps) {
  const { t, language } = useI18n();
  const { reference } = useServices();
  const other = language === 'fr' ? 'en' : 'fr';

  return (
    <>
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
          <button key={category.id} type="button" className="category-tile" aria-pressed={selected === category.id} data-category={category.id} onClick={() => onChoose(category.id)}>
            <IonIcon icon={categoryIcon(category.icon)} aria-hidden="true" />
            <span className="category-label">{category.labels[language]}</span>
            <span className="category-label-other" lang={other}>
              {category.labels[other]}
            </span>
          </button>
        ))}
      </div>
    </>
  );
}
