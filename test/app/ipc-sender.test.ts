// What the Electron adapter tells the dispatcher about a message's sender
// (main/app/ipc-sender.ts), from the parts of Electron's IpcMainInvokeEvent
// it reads: a main frame is the window's own mainFrame object; a frame that
// is gone (senderFrame null) is no page at all.
import { describe, expect, it } from 'vitest';
import { senderOf, type InvokeEvent } from '../../main/app/ipc-sender.js';

const frame = (url: string) => ({ url }) as unknown as NonNullable<InvokeEvent['senderFrame']>;

describe('senderOf', () => {
  it("the window's main frame, a subframe of it, and a frame that is gone", () => {
    const main = frame('app://strongroom/index.html');
    const sub = frame('app://strongroom/index.html');
    const sender = { id: 7, mainFrame: main } as unknown as InvokeEvent['sender'];
    expect(senderOf({ sender, senderFrame: main })).toEqual({ windowId: 7, url: 'app://strongroom/index.html', isMainFrame: true });
    // same URL, but not the main frame object: a subframe
    expect(senderOf({ sender, senderFrame: sub })).toEqual({ windowId: 7, url: 'app://strongroom/index.html', isMainFrame: false });
    expect(senderOf({ sender, senderFrame: null })).toEqual({ windowId: 7, url: '', isMainFrame: false });
  });
});
