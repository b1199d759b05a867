import { useIonRouter } from '@ionic/react';
import { useServices } from '../../app/context.tsx';
import { CategoryTiles } from '../../components/CategoryTiles.tsx';
import { Page } from '../../components/Page.tsx';
import { useReference } from '../../reference/reference.ts';
import { useProposalDraft } from '../draft.ts';
import { useProposalsI18n } from '../messages.ts';
import { useMe, VerifyPhone } from '../parts.tsx';

/** Screen 1 of 4: what the idea is about, one tap on a big tile labelled in both official languages. */
export function CategoryStep() {
  const { t } = useProposalsI18n();
  const { reference } = useServices();
  const categories = useReference(reference);
  const { draft, update } = useProposalDraft();
  const me = useMe();
  const router = useIonRouter();

  return (
    <Page title={t('proposals.propose')} back="/proposals" ready={categories.categories !== null || categories.failed}>
      <p className="step">{t('propose.step', { n: 1 })}</p>
      <h1 className="screen-title">{t('propose.category.title')}</h1>
      {me?.level === 'device' && <VerifyPhone />}
      <p className="hint">{t('propose.category.hint')}</p>
      <CategoryTiles
        reference={categories}
        selected={draft.category}
        onChoose={(category) => {
          update({ category });
          router.push('/proposals/new/photos', 'forward');
        }}
      />
    </Page>
  );
}
