import { IonBackButton, IonButton, IonButtons, IonContent, IonFooter, IonHeader, IonPage, IonTitle, IonToolbar } from '@ionic/react';
import { useEffect, type ReactNode } from 'react';
import { useOnline } from '../app/context.tsx';
import { appShown } from '../app/first-screen.ts';
import { useI18n } from '../i18n/i18n.tsx';

interface PageProps {
  title: string;
  /** Where the back button leads when there is no history (a reload in the middle of a flow). */
  back?: string;
  footer?: ReactNode;
  children: ReactNode;
  className?: string;
  /** False while the screen cannot be used yet (its data is loading); the first ready screen lets deferred work start. */
  ready?: boolean;
}

/** The frame of every screen: title, back, language switch, offline banner, and an optional sticky action. */
export function Page({ title, back, footer, children, className, ready = true }: PageProps) {
  const { t, language, setLanguage } = useI18n();
  const online = useOnline();
  useEffect(() => {
    if (ready) appShown();
  }, [ready]);
  return (
    <IonPage className={className}>
      <IonHeader>
        <IonToolbar color="primary">
          {back && (
            <IonButtons slot="start">
              <IonBackButton defaultHref={back} text="" aria-label={t('report.back')} />
            </IonButtons>
          )}
          <IonTitle>{title}</IonTitle>
          <IonButtons slot="end">
            <IonButton
              onClick={() => setLanguage(language === 'fr' ? 'en' : 'fr')}
              lang={language === 'fr' ? 'en' : 'fr'}
              aria-label={`${t('app.language')}: ${t('app.switchLanguage')}`}
            >
              {language === 'fr' ? 'EN' : 'FR'}
            </IonButton>
          </IonButtons>
        </IonToolbar>
        {!online && (
          <div className="offline-banner" role="status">
            {t('app.offline')}
          </div>
        )}
      </IonHeader>
      <IonContent className="ion-padding">{children}</IonContent>
      {footer && (
        <IonFooter>
          <div className="page-footer">{footer}</div>
        </IonFooter>
      )}
    </IonPage>
  );
}
