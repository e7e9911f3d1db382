// Opens app windows with Electron's BrowserWindow. Imports electron at
// runtime, so it is only type-checked here; the factory it calls
// (window-factory.ts) is tested in Node.
import { BrowserWindow } from 'electron';
import { openWindow, type WindowSettings } from './window-factory.js';

/** THE way to open a window: the hardened preset on app://strongroom/index.html. */
export function createWindow(settings: WindowSettings<BrowserWindow>): Promise<BrowserWindow> {
  return openWindow(BrowserWindow, settings);
}
