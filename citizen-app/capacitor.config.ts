import type { CapacitorConfig } from '@capacitor/cli';

// Native shells bundle dist/ built with `npm run build:native` (base '/') and talk to the API
// named by VITE_PALABRE_API at build time; the PWA uses the origin that serves it.
const config: CapacitorConfig = {
  appId: 'africa.palabre.citizen',
  appName: 'Palabre',
  webDir: 'dist',
  server: {
    androidScheme: 'https',
    iosScheme: 'capacitor',
    hostname: 'localhost',
    cleartext: false,
  },
  android: {
    allowMixedContent: false,
    webContentsDebuggingEnabled: false,
  },
  ios: {
    contentInset: 'automatic',
  },
  plugins: {
    // Reports ask for the position only while the user is filing one.
    Geolocation: {},
  },
};

export default config;
