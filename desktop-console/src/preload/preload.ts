import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { type DeepLink, type PalabreBridge, type SaveFileResult, bridgeChannels } from '../shared/bridge.js';
import { parseDeepLink, validateDeepLinkListener, validateSaveFileRequest, validateUrgentNotification } from './validation.js';

// Sandboxed preload: bundled into one CommonJS file, it may only require 'electron'.
const bridge: PalabreBridge = {
  saveFile: async (request) => (await ipcRenderer.invoke(bridgeChannels.saveFile, validateSaveFileRequest(request))) as SaveFileResult,
  notify: async (notification) => {
    await ipcRenderer.invoke(bridgeChannels.notify, validateUrgentNotification(notification));
  },
  onDeepLink: (listener) => {
    const checked = validateDeepLinkListener(listener);
    // Never hand the IPC event (and its sender) to web content: only the parsed link.
    const handler = (_event: IpcRendererEvent, url: unknown) => {
      const link: DeepLink | null = parseDeepLink(url);
      if (link) checked({ ticketId: link.ticketId });
    };
    ipcRenderer.on(bridgeChannels.deepLink, handler);
    return () => {
      ipcRenderer.removeListener(bridgeChannels.deepLink, handler);
    };
  },
};

contextBridge.exposeInMainWorld('palabre', Object.freeze(bridge));
