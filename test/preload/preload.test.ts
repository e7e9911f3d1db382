// The preload as built (dist/preload/preload.cjs, by `npm run build`), run in
// a fresh V8 context the way a sandboxed preload runs: its only `require` is
// `electron`, here the two objects it uses, recording what they are given.
// Checked against the contract (issue 11): exactly one object is exposed,
// `window.strongroom`, frozen; every contract operation reaches the call
// channel, nothing else does; no Electron object or event crosses.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, type BridgeResult, type SessionEvent, type StrongroomBridge } from '../../main/api/bridge.js';
import { OPERATION_NAMES } from '../../main/api/index.js';

const BUNDLE = fileURLToPath(new URL('../../dist/preload/preload.cjs', import.meta.url));

interface Loaded {
  exposed: [string, unknown][];
  invoked: [string, unknown][];
  /** delivers a main → renderer message as Electron would: (event, payload) */
  deliver: (channel: string, payload: unknown) => void;
  required: string[];
  bridge: StrongroomBridge;
}

function load(answer: (channel: string, message: unknown) => unknown = () => ({ ok: true, value: {} })): Loaded {
  const exposed: [string, unknown][] = [];
  const invoked: [string, unknown][] = [];
  const required: string[] = [];
  const listeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>();
  const ipcRenderer = {
    invoke: async (channel: string, message: unknown) => {
      invoked.push([channel, message]);
      return answer(channel, message);
    },
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
  };
  // webUtils as Electron's: a File on disk has a path, any other File ''
  const webUtils = { getPathForFile: (file: { name?: unknown }) => (file?.name === 'on-disk.txt' ? '/home/user/on-disk.txt' : '') };
  const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) }, ipcRenderer, webUtils };
  const module = { exports: {} };
  const require = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  runInNewContext(readFileSync(BUNDLE, 'utf8'), { require, module, exports: module.exports, console });
  const deliver = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: ipcRenderer, senderId: 0, ports: [] }, payload);
  };
  return { exposed, invoked, deliver, required, bridge: exposed[0]?.[1] as StrongroomBridge };
}

let p: Loaded;
beforeEach(() => {
  p = load();
});

describe('the preload', () => {
  it('requires only electron and exposes exactly one frozen object, window.strongroom, of functions', () => {
    expect(new Set(p.required)).toEqual(new Set(['electron']));
    expect(p.exposed.map(([key]) => key)).toEqual(['strongroom']);
    expect(Object.isFrozen(p.bridge)).toBe(true);
    expect(Object.keys(p.bridge).sort()).toEqual(['call', 'onSessionEvent', 'pathForFile', 'runCeremony', 'signIn', 'signOut', 'startFileJob']);
    for (const value of Object.values(p.bridge)) expect(typeof value).toBe('function');
  });

  it('every contract operation reaches the call channel as {id, operation, input}, with a fresh id each time', async () => {
    for (const name of OPERATION_NAMES) {
      const input = { probe: name };
      await p.bridge.call(name, input as never);
      expect(p.invoked.at(-1)).toEqual([CHANNELS.call, { id: expect.stringMatching(/^call-\d+$/), operation: name, input }]);
    }
    const ids = p.invoked.map(([, m]) => (m as { id: string }).id);
    expect(new Set(ids).size).toBe(OPERATION_NAMES.length);
  });

  it('nothing else does: unknown names are refused here, without a message', async () => {
    for (const name of ['', 'createKey', 'CreateKeyNow', '__proto__', 'constructor', 'callInternal', 'toString']) {
      const r = (await p.bridge.call(name as never, {} as never)) as BridgeResult<unknown>;
      expect(r).toEqual({ ok: false, error: { name: 'ValidationException', message: expect.stringMatching(/not in the contract/) } });
    }
    const job = p.bridge.startFileJob('Encrypt' as never, {} as never, () => undefined);
    expect(await job.result).toMatchObject({ ok: false, error: { name: 'ValidationException' } });
    expect(p.invoked).toEqual([]);
  });

  it('returns what the dispatcher answered, and a plain KMSInternalException if the main process could not answer', async () => {
    const answered = load((_c, m) => ({ ok: true, value: { echoed: (m as { operation: string }).operation } }));
    expect(await answered.bridge.call('ListKeys', {})).toEqual({ ok: true, value: { echoed: 'ListKeys' } });
    const broken = load(() => Promise.reject(new Error('No handler registered for strongroom:call')));
    expect(await broken.bridge.signIn({ UserName: 'admin', Passphrase: 'x'.repeat(12) })).toEqual({
      ok: false,
      error: { name: 'KMSInternalException', message: 'The app did not answer; see the Strongroom log for details.' },
    });
  });

  it('signIn and signOut are the SignIn and SignOut operations', async () => {
    await p.bridge.signIn({ UserName: 'admin', Passphrase: 'a passphrase' });
    await p.bridge.signOut();
    expect(p.invoked.map(([c, m]) => [c, (m as { operation: string }).operation, (m as { input: unknown }).input])).toEqual([
      [CHANNELS.call, 'SignIn', { UserName: 'admin', Passphrase: 'a passphrase' }],
      [CHANNELS.call, 'SignOut', {}],
    ]);
  });

  it('session events reach listeners as plain payloads, never with the Electron event; unsubscribing stops them', () => {
    const got: unknown[][] = [];
    const stop = p.bridge.onSessionEvent((...args: unknown[]) => got.push(args));
    const locked: SessionEvent = { type: 'locked', reason: 'idle' };
    p.deliver(CHANNELS.event, locked);
    p.deliver(CHANNELS.event, { type: 'signed-out' });
    p.deliver(CHANNELS.event, { type: 'something-else' });
    p.deliver(CHANNELS.event, { type: 'ceremony-progress', id: 'call-1', progress: { StepIndex: 0, StepCount: 1, StepId: 'k', Type: 'create-key', Phase: 'running' } });
    p.deliver('strongroom:other', locked);
    stop();
    p.deliver(CHANNELS.event, locked);
    expect(got).toEqual([[locked], [{ type: 'signed-out' }]]);
  });

  it("a file job gets only its own progress, and cancel sends its id on the cancel channel", async () => {
    let finish: (r: unknown) => void = () => undefined;
    const pending = load((channel) => (channel === CHANNELS.call ? new Promise((r) => (finish = r)) : { ok: true, value: {} }));
    const seen: unknown[][] = [];
    const job = pending.bridge.startFileJob('EncryptFile', { In: ['a'], Out: 'b', KeyId: 'alias/k' }, (...args: unknown[]) => seen.push(args));
    const id = (pending.invoked[0]?.[1] as { id: string }).id;
    const progress = { FileIndex: 0, FileCount: 1, BytesDone: 10 };
    pending.deliver(CHANNELS.event, { type: 'progress', id, progress });
    pending.deliver(CHANNELS.event, { type: 'progress', id: 'someone-else', progress: { ...progress, BytesDone: 99 } });
    job.cancel();
    expect(pending.invoked.at(-1)).toEqual([CHANNELS.cancel, { id }]);
    finish({ ok: false, error: { name: 'AbortError', message: 'cancelled' } });
    expect(await job.result).toEqual({ ok: false, error: { name: 'AbortError', message: 'cancelled' } });
    // after the job, its progress listener is gone
    pending.deliver(CHANNELS.event, { type: 'progress', id, progress: { ...progress, BytesDone: 20 } });
    expect(seen).toEqual([[progress]]);
    expect(Object.isFrozen(job)).toBe(true);
  });

  it('a ceremony gets only its own step progress, as RunCeremony on the call channel', async () => {
    let finish: (r: unknown) => void = () => undefined;
    const pending = load((channel) => (channel === CHANNELS.call ? new Promise((r) => (finish = r)) : { ok: true, value: {} }));
    const seen: unknown[][] = [];
    const input = { Script: 'ceremony: x', OutDir: 'out', TranscriptPath: 'out/t.json', Witnesses: [{ UserName: 'wendy', Passphrase: 'wendy passphrase' }] };
    const result = pending.bridge.runCeremony(input, (...args: unknown[]) => seen.push(args));
    expect(pending.invoked).toEqual([[CHANNELS.call, { id: expect.stringMatching(/^call-\d+$/), operation: 'RunCeremony', input }]]);
    const id = (pending.invoked[0]?.[1] as { id: string }).id;
    const step = { StepIndex: 0, StepCount: 2, StepId: 'ksk', Type: 'create-key', Phase: 'confirming' };
    pending.deliver(CHANNELS.event, { type: 'ceremony-progress', id, progress: step });
    pending.deliver(CHANNELS.event, { type: 'ceremony-progress', id: 'someone-else', progress: { ...step, Phase: 'failed' } });
    // a file job's event under this id is not a ceremony's
    pending.deliver(CHANNELS.event, { type: 'progress', id, progress: { FileIndex: 0, FileCount: 1, BytesDone: 10 } });
    pending.deliver(CHANNELS.event, { type: 'ceremony-progress', id, progress: { ...step, Phase: 'done' } });
    const answer = { ok: true, value: { Ceremony: 'x', Status: 'complete' } };
    finish(answer);
    expect(await result).toEqual(answer);
    pending.deliver(CHANNELS.event, { type: 'ceremony-progress', id, progress: { ...step, StepIndex: 1 } });
    expect(seen).toEqual([[step], [{ ...step, Phase: 'done' }]]);
  });

  it("pathForFile is Electron's webUtils.getPathForFile, answered in the preload without a message", () => {
    expect(p.bridge.pathForFile(new File(['x'], 'on-disk.txt'))).toBe('/home/user/on-disk.txt');
    expect(p.bridge.pathForFile(new File(['x'], 'made-by-the-page.txt'))).toBe('');
    expect(p.invoked).toEqual([]);
  });
});
