// The preload: runs in each window before its page, sandboxed (so it is
// bundled into one CommonJS file: a sandboxed preload can require only
// `electron`), and exposes exactly one object, `window.strongroom`
// (main/api/bridge.ts StrongroomBridge), frozen. It never exposes
// ipcRenderer, a channel name or the Electron event object: the page gets
// functions that take and return plain data (Electron security checklist
// §20, "Do not expose Electron APIs to untrusted web content").
//
// It forwards calls to the dispatcher (main/bridge/dispatcher.ts), which
// checks them all again: the check here only keeps a typo from crossing.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNELS, type BridgeResult, type FileJobName, type ProgressEvents, type ProgressOf, type SessionEvent, type StrongroomBridge } from '../main/api/bridge.js';
import { isOperationName } from '../main/api/index.js';

type Listener = Parameters<StrongroomBridge['onSessionEvent']>[0];
type ProgressEvent = Extract<SessionEvent, { progress: unknown }>;

const FILE_JOBS: readonly string[] = ['EncryptFile', 'DecryptFile'] satisfies FileJobName[];
const PROGRESS_EVENTS: ProgressEvents = { EncryptFile: 'progress', DecryptFile: 'progress', RunCeremony: 'ceremony-progress' };

let calls = 0;
/** A call's id: unique within this window, which is all the dispatcher keys jobs by. */
const nextId = () => `call-${++calls}`;

/** A running call's progress listener, by call id, with the one event type its operation reports. */
const progressListeners = new Map<string, { readonly type: ProgressEvent['type']; readonly listener: (progress: ProgressEvent['progress']) => void }>();
const sessionListeners = new Set<Listener>();

// One listener for every event; each goes on without the Electron event object.
ipcRenderer.on(CHANNELS.event, (_event, payload: SessionEvent) => {
  if (payload?.type === 'progress' || payload?.type === 'ceremony-progress') {
    const entry = progressListeners.get(payload.id);
    if (entry?.type === payload.type) entry.listener(payload.progress);
  } else if (payload?.type === 'locked' || payload?.type === 'signed-out') for (const listener of sessionListeners) listener(payload);
});

const refused = (message: string): BridgeResult<never> => ({ ok: false, error: { name: 'ValidationException', message } });

async function invoke(name: string, input: unknown, id = nextId()): Promise<BridgeResult<never>> {
  if (typeof name !== 'string' || !isOperationName(name)) return refused(`Unknown operation '${String(name)}': it is not in the contract.`);
  try {
    return await ipcRenderer.invoke(CHANNELS.call, { id, operation: name, input });
  } catch {
    // the dispatcher answers every message; a rejection means the main process could not
    return { ok: false, error: { name: 'KMSInternalException', message: 'The app did not answer; see the Strongroom log for details.' } };
  }
}

/** Runs an operation that reports progress: its events, by this call's id, go to onProgress until it ends. */
function invokeWithProgress<N extends keyof ProgressEvents>(name: N, input: unknown, onProgress: (progress: ProgressOf<N>) => void) {
  const id = nextId();
  progressListeners.set(id, { type: PROGRESS_EVENTS[name], listener: onProgress as (progress: ProgressEvent['progress']) => void });
  return { id, result: invoke(name, input, id).finally(() => progressListeners.delete(id)) };
}

const bridge: StrongroomBridge = Object.freeze({
  call: (name, input) => invoke(name, input),
  startFileJob(name, input, onProgress) {
    if (!FILE_JOBS.includes(name)) return Object.freeze({ result: Promise.resolve(refused(`${String(name)} is not a file job.`)), cancel: () => undefined });
    const { id, result } = invokeWithProgress(name, input, onProgress);
    return Object.freeze({ result, cancel: () => void ipcRenderer.invoke(CHANNELS.cancel, { id }).catch(() => undefined) });
  },
  runCeremony: (input, onProgress) => invokeWithProgress('RunCeremony', input, onProgress).result,
  signIn: (input) => invoke('SignIn', input),
  signOut: () => invoke('SignOut', {}),
  onSessionEvent(listener) {
    sessionListeners.add(listener);
    return () => void sessionListeners.delete(listener);
  },
  // A dropped file's path, which a sandboxed page cannot read itself (Electron
  // removed File.path in 32); the page passes it on to a file job as any path.
  pathForFile: (file) => webUtils.getPathForFile(file),
} satisfies StrongroomBridge);

contextBridge.exposeInMainWorld('strongroom', bridge);
