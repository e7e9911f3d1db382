// The Electron adapter of the bridge: a handler for each of the bridge's two
// channels that hands the message and its sender to the dispatcher, and the
// way events go back to a window. Everything it decides is in the
// dispatcher (main/bridge/dispatcher.ts) and ipc-sender.ts.
import { ipcMain, webContents } from 'electron';
import { CHANNELS, type SessionEvent } from '../api/bridge.js';
import type { Dispatcher } from '../bridge/dispatcher.js';
import { senderOf } from './ipc-sender.js';

export function registerIpc(dispatcher: Dispatcher): void {
  for (const channel of [CHANNELS.call, CHANNELS.cancel]) {
    ipcMain.handle(channel, (event, message: unknown) => dispatcher.handle(senderOf(event), channel, message));
  }
}

export function emitToWindow(windowId: number, event: SessionEvent): void {
  const contents = webContents.fromId(windowId);
  if (contents && !contents.isDestroyed()) contents.send(CHANNELS.event, event);
}
