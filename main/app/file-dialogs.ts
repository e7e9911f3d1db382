// The desktop's own file dialogs, for ChooseFiles (main/api/operations/app.ts):
// the sandboxed page cannot see paths, so it asks the main process, which
// shows Electron's open or save dialog over the asking window and returns
// the paths the user chose (none when cancelled). Runtime electron import:
// only main.ts loads this (eslint.config.js ELECTRON_RUNTIME).
import { BrowserWindow, dialog, webContents, type OpenDialogOptions } from 'electron';
import type { FileChooser } from '../session/app-handler.js';

export const chooseFiles: FileChooser = async (request, windowId) => {
  const contents = windowId === undefined ? undefined : webContents.fromId(windowId);
  const owner = contents && !contents.isDestroyed() ? BrowserWindow.fromWebContents(contents) : null;
  const title = request.Title;
  if (request.Purpose === 'save') {
    const options = { ...(title ? { title } : {}), ...(request.DefaultPath ? { defaultPath: request.DefaultPath } : {}), properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
    const saved = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    return saved.canceled || !saved.filePath ? [] : [saved.filePath];
  }
  const properties: OpenDialogOptions['properties'] = request.Directory ? ['openDirectory', 'createDirectory'] : ['openFile', ...(request.Multiple ? (['multiSelections'] as const) : [])];
  const options: OpenDialogOptions = { ...(title ? { title } : {}), properties };
  const opened = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return opened.canceled ? [] : opened.filePaths;
};
