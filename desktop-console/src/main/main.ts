import { BrowserWindow, Notification, app, dialog, ipcMain, screen, session, shell, type IpcMainInvokeEvent } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DeepLink, type SaveFileResult, bridgeChannels, exportKinds } from '../shared/bridge.js';
import { deepLinkFromArgv, validateSaveFileRequest, validateUrgentNotification } from '../preload/validation.js';
import { contentSecurityPolicy, isConsoleUrl, isExternalWebUrl } from './security.js';
import { type WindowState, minimumWindowSize, restoreWindowState } from './window-state.js';

/** The Palabre server whose /console/ the window shows; PALABRE_URL overrides the default. */
const serverUrl = (process.env.PALABRE_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
const consoleUrl = `${serverUrl}/console/`;
const stateFile = () => join(app.getPath('userData'), 'window-state.json');

let window: BrowserWindow | null = null;
let pendingLink: DeepLink | null = deepLinkFromArgv(process.argv);

async function loadWindowState(): Promise<WindowState> {
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  try {
    return restoreWindowState(JSON.parse(await readFile(stateFile(), 'utf8')), displays);
  } catch {
    return restoreWindowState(null, displays);
  }
}

function saveWindowState(win: BrowserWindow): void {
  const bounds = win.getNormalBounds();
  const state: WindowState = { ...bounds, maximized: win.isMaximized() };
  // Best effort: losing the size is harmless, failing to quit is not.
  writeFile(stateFile(), JSON.stringify(state)).catch(() => undefined);
}

function sendDeepLink(link: DeepLink): void {
  if (!window) {
    pendingLink = link;
    return;
  }
  if (window.isMinimized()) window.restore();
  window.focus();
  window.webContents.send(bridgeChannels.deepLink, `palabre://ticket/${encodeURIComponent(link.ticketId)}`);
}

/** IPC arrives only from our own console page; anything else is refused. */
function fromConsole(event: IpcMainInvokeEvent): boolean {
  return event.senderFrame !== null && isConsoleUrl(event.senderFrame.url, serverUrl);
}

async function createWindow(): Promise<void> {
  const state = await loadWindowState();
  const win = new BrowserWindow({
    ...state,
    minWidth: minimumWindowSize.width,
    minHeight: minimumWindowSize.height,
    show: false,
    title: 'Palabre',
    webPreferences: {
      preload: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window = win;
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => saveWindowState(win));
  win.on('closed', () => {
    window = null;
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isConsoleUrl(url, serverUrl)) event.preventDefault();
  });
  win.webContents.on('did-finish-load', () => {
    if (pendingLink) {
      const link = pendingLink;
      pendingLink = null;
      sendDeepLink(link);
    }
  });
  await win.loadURL(consoleUrl);
}

ipcMain.handle(bridgeChannels.saveFile, async (event, raw: unknown): Promise<SaveFileResult> => {
  if (!fromConsole(event) || !window) return { saved: false };
  const request = validateSaveFileRequest(raw);
  const kind = exportKinds[request.kind];
  const choice = await dialog.showSaveDialog(window, {
    defaultPath: join(app.getPath('documents'), request.suggestedName),
    filters: [{ name: kind.label, extensions: [kind.extension] }],
  });
  if (choice.canceled || !choice.filePath) return { saved: false };
  await writeFile(choice.filePath, request.content, 'utf8');
  return { saved: true, path: choice.filePath };
});

ipcMain.handle(bridgeChannels.notify, (event, raw: unknown) => {
  if (!fromConsole(event) || !Notification.isSupported()) return;
  const notification = validateUrgentNotification(raw);
  const shown = new Notification({ title: notification.title, body: notification.body, urgency: 'critical' });
  if (notification.ticketId) {
    const ticketId = notification.ticketId;
    shown.on('click', () => sendDeepLink({ ticketId }));
  }
  shown.show();
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setAsDefaultProtocolClient('palabre');
  // Windows and Linux start a second instance with the link in argv; macOS sends open-url.
  app.on('second-instance', (_event, argv) => {
    const link = deepLinkFromArgv(argv);
    if (link) sendDeepLink(link);
    else window?.focus();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = deepLinkFromArgv([url]);
    if (link) sendDeepLink(link);
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app.whenReady().then(async () => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      const headers = { ...details.responseHeaders };
      if (isConsoleUrl(details.url, serverUrl)) headers['Content-Security-Policy'] = [contentSecurityPolicy];
      callback({ responseHeaders: headers });
    });
    // Only notifications may be asked for; camera, geolocation and the rest are refused.
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'notifications'));
    await createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow();
    });
  });
}
