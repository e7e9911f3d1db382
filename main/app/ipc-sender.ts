// Who sent an IPC message, as the dispatcher checks it (main/bridge/
// dispatcher.ts): the window, the sending frame's URL, and whether that
// frame is the window's main frame. Plain (type imports only), so it is
// tested without Electron.
import type { IpcMainInvokeEvent } from 'electron';
import type { Sender } from '../bridge/dispatcher.js';

export type InvokeEvent = Pick<IpcMainInvokeEvent, 'senderFrame'> & { readonly sender: Pick<IpcMainInvokeEvent['sender'], 'id' | 'mainFrame'> };

export function senderOf(event: InvokeEvent): Sender {
  // senderFrame is null once the frame navigated away or was destroyed: such a message is refused as from no page
  const frame = event.senderFrame;
  return { windowId: event.sender.id, url: frame?.url ?? '', isMainFrame: frame !== null && frame === event.sender.mainFrame };
}
