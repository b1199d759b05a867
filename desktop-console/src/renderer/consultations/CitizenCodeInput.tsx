import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { citizenCodeIn } from './citizen-code.js';

/**
 * The resident's code, typed from their app or scanned from the QR code it shows, with the
 * console's camera. Decoding runs in the page (jsQR, loaded on the first scan): nothing leaves it.
 */
export function CitizenCodeInput({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  const [scanning, setScanning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div className="citizen-code">
      <label>
        {t('verify.citizen')}
        <input type="text" name="citizenId" autoComplete="off" spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} placeholder="C…" />
      </label>
      <button type="button" onClick={() => (setProblem(null), setScanning((s) => !s))} aria-pressed={scanning}>
        {scanning ? t('verify.stopScan') : t('verify.scan')}
      </button>
      {scanning && (
        <QrScanner
          onCode={(code) => {
            onChange(code);
            setScanning(false);
          }}
          onProblem={(message) => (setProblem(message), setScanning(false))}
        />
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

function QrScanner({ onCode, onProblem }: { onCode: (code: string) => void; onProblem: (message: string) => void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const done = useRef({ onCode, onProblem });
  done.current = { onCode, onProblem };
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    void (async () => {
      try {
        const [{ default: jsQR }, media] = await Promise.all([import('jsqr'), navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })]);
        stream = media;
        if (stopped || !video.current || !context) return;
        video.current.srcObject = media;
        await video.current.play();
        // A few frames a second is plenty to read a code held up to the camera, and spares a modest PC.
        const look = () => {
          if (stopped || !video.current) return;
          const { videoWidth: width, videoHeight: height } = video.current;
          if (width > 0 && height > 0) {
            canvas.width = width;
            canvas.height = height;
            context.drawImage(video.current, 0, 0, width, height);
            const found = jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'dontInvert' });
            const code = found ? citizenCodeIn(found.data) : null;
            if (code) return done.current.onCode(code);
          }
          timer = setTimeout(look, 200);
        };
        look();
      } catch (error) {
        if (!stopped) done.current.onProblem(error instanceof DOMException && error.name === 'NotAllowedError' ? t('verify.cameraRefused') : t('verify.noCamera'));
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [t]);
  return <video ref={video} className="qr-video" muted playsInline aria-label={t('verify.scanning')} data-testid="qr-video" />;
}
