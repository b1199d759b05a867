import { IonApp, IonIcon, IonLabel, IonRouterOutlet, IonTabBar, IonTabButton, IonTabs, useIonRouter } from '@ionic/react';
import { IonReactRouter } from '@ionic/react-router';
import { addCircleOutline, chatbubblesOutline, listOutline, mapOutline, megaphoneOutline } from 'ionicons/icons';
import { useEffect } from 'react';
import { Navigate, Route } from 'react-router-dom';
import { useServices } from './app/context.tsx';
import { onAppShown } from './app/first-screen.ts';
import { takeOverWaitingScreen } from './app/waiting-screen.ts';
import { Notices } from './components/Notices.tsx';
import { useI18n } from './i18n/i18n.tsx';
import { useOutboxEntries } from './tickets/useOutboxEntries.ts';
import { CategoryStep } from './report/CategoryStep.tsx';
import { DetailsStep } from './report/DetailsStep.tsx';
import { DraftProvider, useDraft } from './report/draft.tsx';
import { PhotoStep } from './report/PhotoStep.tsx';
import { PositionStep } from './report/PositionStep.tsx';
import { MyReportsPage } from './tickets/MyReportsPage.tsx';
import { lazyPage } from './app/lazy-page.tsx';

// The report flow and "my reports" (where a sent report leads, offline too) come with the app;
// every other screen is fetched the first time it shows.
const ReportDetailPage = lazyPage(() => import('./tickets/ReportDetailPage.tsx').then((m) => m.ReportDetailPage));
const NearbyPage = lazyPage(() => import('./tickets/NearbyPage.tsx').then((m) => m.NearbyPage));
const ConsultationsPage = lazyPage(() => import('./consultations/ConsultationsPage.tsx').then((m) => m.ConsultationsPage));
const ConsultationPage = lazyPage(() => import('./consultations/ConsultationPage.tsx').then((m) => m.ConsultationPage));
const CheckBallotPage = lazyPage(() => import('./consultations/CheckBallotPage.tsx').then((m) => m.CheckBallotPage));
const PhonePage = lazyPage(() => import('./consultations/PhonePage.tsx').then((m) => m.PhonePage));
const ProposalsPage = lazyPage(() => import('./proposals/ProposalsPage.tsx').then((m) => m.ProposalsPage));
const ProposalPage = lazyPage(() => import('./proposals/ProposalPage.tsx').then((m) => m.ProposalPage));
const ProjectPage = lazyPage(() => import('./proposals/ProjectPage.tsx').then((m) => m.ProjectPage));
const ProposeCategory = lazyPage(() => import('./proposals/propose/CategoryStep.tsx').then((m) => m.CategoryStep));
const ProposePhotos = lazyPage(() => import('./proposals/propose/PhotosStep.tsx').then((m) => m.PhotosStep));
const ProposePlace = lazyPage(() => import('./proposals/propose/PlaceStep.tsx').then((m) => m.PlaceStep));
const ProposeDetails = lazyPage(() => import('./proposals/propose/DetailsStep.tsx').then((m) => m.DetailsStep));

/** react-router wants the base without its trailing slash. */
const basename = import.meta.env.BASE_URL.replace(/\/$/, '');

export function App() {
  const { t } = useI18n();
  const { outbox } = useServices();
  const { entries } = useOutboxEntries(outbox);
  const waiting = entries.filter((e) => e.state === 'waiting' && e.request.kind === 'report').length;
  const waitingProposals = entries.filter((e) => e.state === 'waiting' && e.request.kind === 'proposal').length;
  return (
    <IonApp>
      <DraftProvider>
        <IonReactRouter basename={basename}>
          <IonTabs>
            <IonRouterOutlet>
              <Route path="/report" element={<CategoryStep />} />
              <Route path="/report/photo" element={<PhotoStep />} />
              <Route path="/report/position" element={<PositionStep />} />
              <Route path="/report/details" element={<DetailsStep />} />
              <Route path="/reports" element={<MyReportsPage />} />
              <Route path="/reports/:id" element={<ReportDetailPage />} />
              <Route path="/nearby" element={<NearbyPage />} />
              <Route path="/consultations" element={<ConsultationsPage />} />
              <Route path="/consultations/:id" element={<ConsultationPage />} />
              <Route path="/consultations/receipts/:code" element={<CheckBallotPage />} />
              <Route path="/me/phone" element={<PhonePage />} />
              <Route path="/proposals" element={<ProposalsPage />} />
              <Route path="/proposals/new" element={<ProposeCategory />} />
              <Route path="/proposals/new/photos" element={<ProposePhotos />} />
              <Route path="/proposals/new/place" element={<ProposePlace />} />
              <Route path="/proposals/new/details" element={<ProposeDetails />} />
              <Route path="/proposals/:id" element={<ProposalPage />} />
              <Route path="/projects/:id" element={<ProjectPage />} />
              <Route path="/" element={<Navigate to="/report" replace />} />
            </IonRouterOutlet>
            <IonTabBar slot="bottom">
              <IonTabButton tab="report" href="/report">
                <IonIcon icon={addCircleOutline} aria-hidden="true" />
                <IonLabel>{t('tabs.report')}</IonLabel>
              </IonTabButton>
              <IonTabButton tab="reports" href="/reports" data-testid="tab-reports">
                <IonIcon icon={listOutline} aria-hidden="true" />
                <IonLabel>{t('tabs.mine')}</IonLabel>
                {waiting > 0 && (
                  <span className="tab-badge" aria-label={t('outbox.count', { n: waiting })}>
                    {waiting}
                  </span>
                )}
              </IonTabButton>
              <IonTabButton tab="nearby" href="/nearby" data-testid="tab-nearby">
                <IonIcon icon={mapOutline} aria-hidden="true" />
                <IonLabel>{t('tabs.nearby')}</IonLabel>
              </IonTabButton>
              <IonTabButton tab="proposals" href="/proposals" data-testid="tab-proposals">
                <IonIcon icon={megaphoneOutline} aria-hidden="true" />
                <IonLabel>{t('tabs.proposals')}</IonLabel>
                {waitingProposals > 0 && (
                  <span className="tab-badge" aria-label={t('outbox.count', { n: waitingProposals })}>
                    {waitingProposals}
                  </span>
                )}
              </IonTabButton>
              <IonTabButton tab="consultations" href="/consultations" data-testid="tab-consultations">
                <IonIcon icon={chatbubblesOutline} aria-hidden="true" />
                <IonLabel>{t('tabs.consultations')}</IonLabel>
              </IonTabButton>
            </IonTabBar>
          </IonTabs>
          <Notices />
          <ChoiceFromWaitingScreen />
        </IonReactRouter>
      </DraftProvider>
    </IonApp>
  );
}

/** A category tapped on the waiting screen, before the app ran, is the draft's: on to the photo step. */
function ChoiceFromWaitingScreen() {
  const { update } = useDraft();
  const router = useIonRouter();
  useEffect(
    () =>
      takeOverWaitingScreen((category) => {
        update({ category, subcategory: null });
        // Once the app's first screen shows, its routes are in place (the start's redirect included).
        onAppShown(() => router.push('/report/photo', 'forward'));
      }),
    [update, router],
  );
  return null;
}
