// The bridge's main side with a real vault (issue 11): a message runs only
// when it comes from the app's own main frame, on a known channel, within
// the size limit, with exactly a call's members, naming an operation of the
// contract with an input its schema accepts — and as the window's signed-in
// user, never as anyone the message names. Every refusal runs nothing and
// is in the audit trail. Sessions lock when idle, on the OS screen lock and
// on suspend.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, MAX_MESSAGE_BYTES, type BridgeResult, type SessionEvent } from '../../main/api/bridge.js';
import { Dispatcher, type Sender } from '../../main/bridge/dispatcher.js';
import { VaultHost } from '../../main/session/vault-host.js';
import { ADMIN_PASSPHRASE, makeVault, type TestVault } from '../support/vault.js';

const ORIGIN = 'app://strongroom';
const APP: Sender = { windowId: 1, url: `${ORIGIN}/index.html`, isMainFrame: true };
const IDLE_MS = 60_000;

let t: TestVault;
let d: Dispatcher;
let events: [number, SessionEvent][];
let now: number;
let seq = 0;

beforeEach(async () => {
  t = await makeVault();
  events = [];
  now = Date.UTC(2026, 11, 2, 9, 0, 0);
  d = new Dispatcher({ host: VaultHost.of(t.vault), origin: ORIGIN, emit: (w, e) => events.push([w, e]), idleLockMs: IDLE_MS, now: () => now, cwd: t.dir });
});
afterEach(async () => t.close());

const send = (operation: string, input: unknown = {}, sender: Sender = APP) => d.handle(sender, CHANNELS.call, { id: `c${++seq}`, operation, input });
const signIn = async (sender: Sender = APP) => expectOk(await send('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE }, sender));

function expectOk<T>(r: BridgeResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.name}: ${r.error.message}`);
  return r.value;
}
function expectRefused(r: BridgeResult<unknown>, name: string): string {
  expect(r.ok, JSON.stringify(r)).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.error.name).toBe(name);
  expect(Object.keys(r.error).sort()).toEqual(['message', 'name']); // no stack, no cause, nothing else crosses
  return r.error.message;
}

const keyCount = async () => (await t.call('ListKeys', {})).Keys.length;
/** The trail's records of `name` (the admin sees the operator tenant's, where unauthenticated calls go too). */
const recorded = async (name: string) =>
  (await t.call('LookupEvents', { EventName: name })).Events.map((e) => JSON.parse(e.CloudTrailEvent) as { errorCode?: string; userIdentity: { type: string; userName?: string } });

describe('a window signs in and works as its user', () => {
  it('signs in, creates a key, lists it; outputs cross as plain data', async () => {
    expect(await signIn()).toMatchObject({ UserName: 'admin', AccountId: t.admin.account });
    const created = expectOk(await send('CreateKey', { Description: 'from the bridge' })) as { KeyMetadata: { KeyId: string; CreationDate: Date } };
    expect(created.KeyMetadata.CreationDate).toBeInstanceOf(Date);
    const listed = expectOk(await send('ListKeys', {})) as { Keys: { KeyId: string }[] };
    expect(listed.Keys.map((k) => k.KeyId)).toContain(created.KeyMetadata.KeyId);
    const encrypted = expectOk(await send('Encrypt', { KeyId: created.KeyMetadata.KeyId, Plaintext: new Uint8Array([1, 2, 3]) })) as { CiphertextBlob: Uint8Array };
    expect(encrypted.CiphertextBlob).toBeInstanceOf(Uint8Array);
    // the record names the window's user, from a desktop session
    const [record] = await recorded('CreateKey');
    expect(record?.userIdentity.userName).toBe('admin');
  });

  it('sees at its next read what another program (the CLI) changed in the same vault', async () => {
    await signIn();
    expect((expectOk(await send('ListKeys', {})) as { Keys: unknown[] }).Keys).toEqual([]);
    const cli = await t.reopen(); // a second connection to the same file, as the CLI has
    const other = await cli.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'cli' });
    const { KeyMetadata } = await cli.service.call(other, 'CreateKey', {});
    expect((expectOk(await send('ListKeys', {})) as { Keys: { KeyId: string }[] }).Keys.map((k) => k.KeyId)).toEqual([KeyMetadata.KeyId]);
  });

  it('a call the approval rules hold crosses as ApprovalRequiredException with its request id, which the window then reads', async () => {
    await signIn();
    await t.call('CreateGroup', { GroupName: 'custodians' });
    await t.call('AddUserToGroup', { GroupName: 'custodians', UserName: 'admin' });
    await t.call('PutApprovalRules', { Rules: [{ Actions: ['kms:CreateKey'], GroupName: 'custodians', MinApprovals: 1 }] });
    const r = await send('CreateKey', {});
    expect(r.ok).toBe(false);
    if (r.ok) throw new Error('unreachable');
    expect(Object.keys(r.error).sort()).toEqual(['approvalRequestId', 'message', 'name']);
    expect(r.error.name).toBe('ApprovalRequiredException');
    expect(r.error.message).toContain(`approval request ${r.error.approvalRequestId} holds this call`);
    const shown = expectOk(await send('GetApprovalRequest', { RequestId: r.error.approvalRequestId })) as { Request: { Operation: string; Status: string } };
    expect(shown.Request).toMatchObject({ Operation: 'CreateKey', Status: 'Pending' });
    expect(await keyCount()).toBe(0);
  });

  it('each window has its own session', async () => {
    await signIn();
    const other: Sender = { ...APP, windowId: 2 };
    expectRefused(await send('ListKeys', {}, other), 'AccessDeniedException');
    expect(expectOk(await send('GetSession', {}, other))).toEqual({ SignedIn: false });
  });
});

describe('refused, with nothing run and the refusal recorded', () => {
  beforeEach(async () => {
    await signIn();
  });

  it('forged senders: a subframe, another scheme, another host, a URL with credentials, no URL', async () => {
    const before = await keyCount();
    for (const sender of [
      { ...APP, isMainFrame: false },
      { ...APP, url: 'https://strongroom/index.html' },
      { ...APP, url: 'file:///work/index.html' },
      { ...APP, url: 'app://evil/index.html' },
      { ...APP, url: 'app://user:pw@strongroom/index.html' },
      { ...APP, url: 'not a url' },
    ]) {
      expect(expectRefused(await send('CreateKey', {}, sender), 'AccessDeniedException')).toMatch(/only from the app's own window/);
    }
    expect(await keyCount()).toBe(before);
    const records = await recorded('CreateKey');
    expect(records).toHaveLength(6);
    expect(records.every((r) => r.errorCode === 'AccessDeniedException')).toBe(true);
  });

  it('unknown channels, unknown operations, malformed messages', async () => {
    const before = await keyCount();
    expect(expectRefused(await d.handle(APP, 'strongroom:exec', { id: 'x', operation: 'CreateKey', input: {} }), 'ValidationException')).toMatch(/Unknown channel/);
    expect(expectRefused(await send('CreateKeyNow', {}), 'ValidationException')).toMatch(/not in the contract/);
    expect(expectRefused(await send('callInternal', {}), 'ValidationException')).toMatch(/not in the contract/);
    for (const message of [null, 'CreateKey', [], { operation: 'CreateKey' }, { id: '', operation: 'CreateKey' }, { id: 'x', operation: 'CreateKey', input: {}, extra: 1 }]) {
      expectRefused(await d.handle(APP, CHANNELS.call, message), 'ValidationException');
    }
    // the input is checked against the operation's schema (by the service, which records it too)
    expectRefused(await send('CreateKey', { KeySpec: 'RSA_1024' }), 'ValidationException');
    expectRefused(await send('CreateKey', { Description: 'x', Policy: 1 }), 'ValidationException');
    expect(await keyCount()).toBe(before);
    expect((await recorded('CreateKeyNow')).map((r) => r.errorCode)).toEqual(['ValidationException']);
    // recorded under the operation a message names (the channel, three malformed messages, two bad inputs), else as BridgeMessage
    expect((await recorded('CreateKey')).map((r) => r.errorCode)).toEqual(Array(6).fill('ValidationException'));
    expect((await recorded('BridgeMessage')).map((r) => r.errorCode)).toEqual(Array(3).fill('ValidationException'));
  });

  it('an oversized message', async () => {
    const r = await send('Encrypt', { KeyId: 'alias/x', Plaintext: new Uint8Array(MAX_MESSAGE_BYTES + 1) });
    expect(expectRefused(r, 'ValidationException')).toMatch(/more than the \d+ a message may be/);
    expect((await recorded('Encrypt')).map((r) => r.errorCode)).toEqual(['ValidationException']);
  });

  it('a message that names its own caller, user, tenant or account', async () => {
    const before = await keyCount();
    for (const principal of [{ caller: { account: '000000000000', userName: 'root' } }, { user: 'admin' }, { tenant: 'other' }, { account: '123456789012' }, { arn: 'arn:aws:iam::1:root' }]) {
      const r = await d.handle(APP, CHANNELS.call, { id: 'p', operation: 'CreateKey', input: {}, ...principal });
      expect(expectRefused(r, 'ValidationException')).toMatch(/cannot say who calls/);
    }
    expect(await keyCount()).toBe(before);
    expect((await recorded('CreateKey')).map((r) => r.errorCode)).toEqual(Array(5).fill('ValidationException'));
  });

  it('calls after sign-out and after a lock', async () => {
    expectOk(await send('SignOut', {}));
    expect(events).toContainEqual([1, { type: 'signed-out' }]);
    expectRefused(await send('CreateKey', {}), 'AccessDeniedException');
    expectRefused(await send('EncryptFile', { In: ['a'], Out: 'b', KeyId: 'alias/x' }), 'AccessDeniedException');
    await signIn();
    d.lock('screen-locked');
    expect(events).toContainEqual([1, { type: 'locked', reason: 'screen-locked' }]);
    expectRefused(await send('ListKeys', {}), 'AccessDeniedException');
    const created = await recorded('CreateKey');
    expect(created.map((r) => [r.errorCode, r.userIdentity.type])).toEqual([['AccessDeniedException', 'Unauthenticated']]);
    expect((await recorded('ListKeys')).map((r) => r.errorCode)).toEqual(['AccessDeniedException']);
    expect((await recorded('EncryptFile')).map((r) => r.errorCode)).toEqual(['AccessDeniedException']);
  });
});

describe('locking', () => {
  it('locks a session idle for the idle time, not one that called within it', async () => {
    await signIn();
    await signIn({ ...APP, windowId: 2 });
    now += IDLE_MS - 1;
    expectOk(await send('ListKeys', {}, { ...APP, windowId: 2 }));
    now += 1;
    d.lockIdle();
    expect(events).toEqual([[1, { type: 'locked', reason: 'idle' }]]);
    expectRefused(await send('ListKeys', {}), 'AccessDeniedException');
    expectOk(await send('ListKeys', {}, { ...APP, windowId: 2 }));
  });

  it('the idle time is the settings\' IdleLockMinutes when not fixed, and a change applies at once', async () => {
    d = new Dispatcher({ host: VaultHost.of(t.vault), origin: ORIGIN, emit: (w, e) => events.push([w, e]), now: () => now });
    await signIn();
    now += 5 * 60_000 - 1;
    d.lockIdle();
    expect(events).toEqual([]);
    expect(expectOk(await send('UpdateAppSettings', { IdleLockMinutes: 1 }))).toMatchObject({ IdleLockMinutes: 1 });
    now += 60_000;
    d.lockIdle();
    expect(events).toEqual([[1, { type: 'locked', reason: 'idle' }]]);
  });

  it('a suspend stops a running file job: its output is removed', async () => {
    await signIn();
    const { KeyMetadata } = await t.call('CreateKey', {});
    writeFileSync(join(t.dir, 'big.bin'), randomBytes(16 * 1024 * 1024));
    let locked = false;
    const emit = (w: number, e: SessionEvent) => {
      events.push([w, e]);
      if (e.type === 'progress' && e.progress.BytesDone > 0 && !locked) {
        locked = true;
        d.lock('suspend');
      }
    };
    d = new Dispatcher({ host: VaultHost.of(t.vault), origin: ORIGIN, emit, now: () => now, cwd: t.dir });
    await signIn();
    const r = await send('EncryptFile', { In: ['big.bin'], OutDir: 'sealed', KeyId: KeyMetadata.KeyId });
    expectRefused(r, 'AbortError');
    expect(events).toContainEqual([1, { type: 'locked', reason: 'suspend' }]);
    expect(readdirSync(join(t.dir, 'sealed'))).toEqual([]);
  });
});

describe('internal errors', () => {
  it('cross as KMSInternalException with a fixed sentence; the details go to the log only', async () => {
    const logged: [string, unknown][] = [];
    const secret = 'plaintext-that-must-not-cross';
    d = new Dispatcher({
      host: VaultHost.of(t.vault),
      origin: ORIGIN,
      emit: () => {
        throw new TypeError(`the window is gone (${secret})`);
      },
      now: () => now,
      cwd: t.dir,
      log: (m, e) => logged.push([m, e]),
    });
    await signIn();
    const { KeyMetadata } = await t.call('CreateKey', {});
    writeFileSync(join(t.dir, 'x.bin'), 'x');
    const r = await send('EncryptFile', { In: ['x.bin'], Out: 'x.sr', KeyId: KeyMetadata.KeyId });
    expect(r).toEqual({ ok: false, error: { name: 'KMSInternalException', message: 'An internal error occurred; see the Strongroom log for details.' } });
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(logged.map(([, e]) => String(e))).toContainEqual(expect.stringContaining(secret));
  });
});

describe('file jobs', () => {
  it('report progress to their window under the call id, and stop when cancelled', async () => {
    await signIn();
    const { KeyMetadata } = await t.call('CreateKey', {});
    writeFileSync(join(t.dir, 'data.bin'), randomBytes(3 * 1024 * 1024));
    const done = expectOk(await d.handle(APP, CHANNELS.call, { id: 'job-1', operation: 'EncryptFile', input: { In: ['data.bin'], Out: 'data.sr', KeyId: KeyMetadata.KeyId } })) as {
      Files: { BytesRead: number }[];
    };
    expect(done.Files[0]?.BytesRead).toBe(3 * 1024 * 1024);
    const progress = events.filter(([, e]) => e.type === 'progress').map(([w, e]) => [w, e.type === 'progress' && e.id]);
    expect(progress.length).toBeGreaterThan(1);
    expect(new Set(progress.map((p) => JSON.stringify(p)))).toEqual(new Set([JSON.stringify([1, 'job-1'])]));

    writeFileSync(join(t.dir, 'big.bin'), randomBytes(16 * 1024 * 1024));
    const job = d.handle(APP, CHANNELS.call, { id: 'job-2', operation: 'EncryptFile', input: { In: ['big.bin'], Out: 'big.sr', KeyId: KeyMetadata.KeyId } });
    // cancelled from the window as soon as the job has started
    while (!events.some(([, e]) => e.type === 'progress' && e.id === 'job-2')) await new Promise((r) => setTimeout(r, 1));
    expectOk(await d.handle(APP, CHANNELS.cancel, { id: 'job-2' }));
    expectRefused(await job, 'AbortError');
    expect(existsSync(join(t.dir, 'big.sr'))).toBe(false);
    // a cancel from another window does not reach this window's jobs
    expectOk(await d.handle({ ...APP, windowId: 9 }, CHANNELS.cancel, { id: 'job-3' }));
  });
});
