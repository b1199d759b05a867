/**
 * The Content-Security-Policy of the console, sent as a header by Electron and embedded as a
 * <meta> tag in the built index.html for browsers. Styles stay 'unsafe-inline' because ag-grid and
 * MapLibre set element styles at run time; scripts never are.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // Photos come from the API; a remote map style brings its own sprites and tiles.
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss: https:",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Only the Palabre server's own pages may load in the window; everything else opens in the browser. */
export function isConsoleUrl(candidate: string, serverUrl: string): boolean {
  try {
    const url = new URL(candidate);
    const server = new URL(serverUrl);
    return url.origin === server.origin && url.pathname.startsWith('/console/');
  } catch {
    return false;
  }
}

/** Links the OS may open in the default browser: web pages only, never file: or custom schemes. */
export function isExternalWebUrl(candidate: string): boolean {
  try {
    const { protocol } = new URL(candidate);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
