// The main side of the desktop bridge: every message a window sends comes
// here, through the Electron adapter (main/app/ipc.ts) or a test transport,
// and is checked before anything runs (DESIGN §7; VS Code's validatedIpcMain
// is the model):
//
//   1. the sender is the main frame of an app:// page of this app — not a
//      subframe, not another scheme or host;
//   2. the channel is one of CHANNELS (main/api/bridge.ts);
//   3. the message is at most MAX_MESSAGE_BYTES and has exactly the members
//      of a CallMessage: it cannot name its own caller, tenant or account;
//   4. the operation is in the contract, and its input passes the
//      operation's schema (the vault service and AppSession check that).
//
// Who calls comes from the window's session, held here per window, never
// from the message. A refusal runs nothing, is recorded in the audit trail
// (when the vault is open: before, there is no trail to write), and is
// answered like any failure: {ok: false, error: {name, message}} with an AWS
// exception name; an internal error crosses as KMSInternalException without
// its details, which go to the log.
//
// A session locks — its user is signed out, its file jobs stopped, the
// window told — after idleLockMs without a call, on the OS screen lock and
// on suspend (lock()).
import { serialize } from 'node:v8';
import { z } from 'zod';
import { CHANNELS, MAX_MESSAGE_BYTES, type BridgeError, type BridgeResult, type SessionEvent } from '../api/bridge.js';
import { isAppOperation, isOperationName } from '../api/index.js';
import { accessDenied, ApprovalRequiredError, isKmsError, KmsError, validation } from '../core/errors.js';
import { formatIssues } from '../core/service/validation.js';
import { AppSession } from '../session/app-session.js';
import type { DesktopParts } from '../session/app-handler.js';
import { SettingsFile } from '../session/app-settings.js';
import type { VaultHost } from '../session/vault-host.js';

/** Who sent a message, as the adapter read it from the IPC event (Electron: event.senderFrame). */
export interface Sender {
  /** the window (Electron: webContents.id); each has its own session */
  readonly windowId: number;
  /** the sending frame's URL */
  readonly url: string;
  /** false for a subframe (an iframe), which the app never has */
  readonly isMainFrame: boolean;
}

export interface DispatcherOptions {
  readonly host: VaultHost;
  /** the app's origin, e.g. app://strongroom: only its main frames may call */
  readonly origin: string;
  /** delivers an event to a window (Electron: webContents.send on CHANNELS.event) */
  readonly emit: (windowId: number, event: SessionEvent) => void;
  /** the app's settings, clipboard and file dialogs, given to every window's session (file dialogs open over its window) */
  readonly desktop?: DesktopParts;
  /** a session locks after this long without a call; default: the settings' IdleLockMinutes (5) */
  readonly idleLockMs?: number;
  /** where relative paths of file jobs start */
  readonly cwd?: string;
  readonly now?: () => number;
  readonly log?: (message: string, error?: unknown) => void;
}

/** Members a message may not have: who calls is the window's session (the issue's rule), named so the refusal says why. */
const PRINCIPAL_MEMBERS = ['caller', 'principal', 'user', 'userName', 'tenant', 'account', 'accountId', 'arn', 'session', 'region'];

const CallMessage = z.object({ id: z.string().min(1).max(64), operation: z.string().min(1).max(128), input: z.unknown().optional() }).strict();
const CancelMessage = z.object({ id: z.string().min(1).max(64) }).strict();

interface WindowState {
  readonly session: AppSession;
  lastCall: number;
  /** running file jobs by call id */
  readonly jobs: Map<string, AbortController>;
}

export class Dispatcher {
  readonly #windows = new Map<number, WindowState>();
  readonly #settings: SettingsFile;
  readonly #now: () => number;

  constructor(private readonly options: DispatcherOptions) {
    this.#settings = options.desktop?.settings ?? SettingsFile.inMemory();
    this.#now = options.now ?? Date.now;
  }

  /** Read at each check, so a change in the settings applies at once. */
  get #idleLockMs(): number {
    return this.options.idleLockMs ?? this.#settings.current.IdleLockMinutes * 60_000;
  }

  /** Handles one message; never rejects. */
  async handle(sender: Sender, channel: string, message: unknown): Promise<BridgeResult<unknown>> {
    const state = this.#window(sender.windowId);
    const operation = operationNameOf(message);
    try {
      this.#checkSender(sender);
      if (channel !== CHANNELS.call && channel !== CHANNELS.cancel) throw new Refusal(validation(`Unknown channel '${String(channel).slice(0, 64)}'.`));
      checkSize(message);
      if (channel === CHANNELS.cancel) return { ok: true, value: this.#cancel(state, parse(CancelMessage, message)) };
      checkNoPrincipal(message);
      const call = parse(CallMessage, message);
      if (!isOperationName(call.operation)) throw new Refusal(validation(`Unknown operation '${call.operation}': it is not in the contract.`));
      return { ok: true, value: await this.#call(sender.windowId, state, call) };
    } catch (e) {
      if (e instanceof Refusal) await this.#recordRefusal(state, operation, e.error);
      return { ok: false, error: this.#bridgeError(e instanceof Refusal ? e.error : e) };
    }
  }

  /** Signs every window's user out and stops its jobs: the OS screen lock, a suspend, or the idle timer. */
  lock(reason: 'idle' | 'screen-locked' | 'suspend'): void {
    for (const windowId of this.#windows.keys()) this.#lockWindow(windowId, reason);
  }

  /** Locks the windows idle for idleLockMs or more; the adapter calls it on a timer (startIdleTimer). */
  lockIdle(): void {
    const now = this.#now();
    for (const [windowId, state] of this.#windows) {
      if (state.session.signedIn && state.jobs.size === 0 && now - state.lastCall >= this.#idleLockMs) this.#lockWindow(windowId, 'idle');
    }
  }

  /** Checks for idle sessions every few seconds; returns the function that stops it. */
  startIdleTimer(everyMs = 15_000): () => void {
    const timer = setInterval(() => this.lockIdle(), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** A window closed: its user is signed out and its jobs stopped. */
  closeWindow(windowId: number): void {
    const state = this.#windows.get(windowId);
    if (!state) return;
    for (const job of state.jobs.values()) job.abort();
    state.session.setCaller(undefined);
    this.#windows.delete(windowId);
  }

  #window(windowId: number): WindowState {
    let state = this.#windows.get(windowId);
    if (!state) {
      const session = new AppSession(this.options.host, 'desktop', this.options.cwd, { ...this.options.desktop, settings: this.#settings, windowId, ...(this.options.log ? { log: this.options.log } : {}) });
      state = { session, lastCall: this.#now(), jobs: new Map() };
      this.#windows.set(windowId, state);
    }
    return state;
  }

  #lockWindow(windowId: number, reason: 'idle' | 'screen-locked' | 'suspend'): void {
    const state = this.#windows.get(windowId);
    if (!state?.session.signedIn) return;
    for (const job of state.jobs.values()) job.abort();
    state.session.setCaller(undefined);
    this.options.emit(windowId, { type: 'locked', reason });
  }

  #checkSender(sender: Sender): void {
    if (!sender.isMainFrame) throw new Refusal(accessDenied("Messages are accepted only from the app's own window, not from a subframe."));
    // compared by protocol and host: URL gives the origin of a non-special scheme such as app: as 'null'
    const url = URL.canParse(sender.url) ? new URL(sender.url) : undefined;
    const ours = new URL(this.options.origin);
    if (url?.protocol !== ours.protocol || url.host !== ours.host || url.username !== '' || url.password !== '') {
      const from = url ? `${url.protocol}//${url.host}` : 'an unknown page';
      throw new Refusal(accessDenied(`Messages are accepted only from the app's own window (${this.options.origin}), not from ${from}.`));
    }
  }

  async #call(windowId: number, state: WindowState, call: z.output<typeof CallMessage>): Promise<unknown> {
    const { session } = state;
    const name = call.operation;
    state.lastCall = this.#now();
    if (isAppOperation(name as never)) {
      const job = name === 'EncryptFile' || name === 'DecryptFile' ? new AbortController() : undefined;
      if (job) state.jobs.set(call.id, job);
      try {
        return await session.dispatch(name, call.input, {
          ...(job ? { signal: job.signal, onProgress: (progress) => this.options.emit(windowId, { type: 'progress', id: call.id, progress }) } : {}),
          ...(name === 'RunCeremony' ? { onCeremonyProgress: (progress) => this.options.emit(windowId, { type: 'ceremony-progress', id: call.id, progress }) } : {}),
        });
      } finally {
        if (job) state.jobs.delete(call.id);
        if (name === 'SignOut') this.options.emit(windowId, { type: 'signed-out' });
      }
    }
    // A vault operation: the service validates, authorizes and records it, refusals included.
    const caller = session.callerIfSignedIn;
    if (!caller) throw new Refusal(accessDenied('The session is not signed in: sign in first.'));
    return session.vault.service.dispatch(caller, name, call.input ?? {});
  }

  #cancel(state: WindowState, message: z.output<typeof CancelMessage>): Record<string, never> {
    state.jobs.get(message.id)?.abort();
    return {};
  }

  async #recordRefusal(state: WindowState, operation: string, error: KmsError): Promise<void> {
    if (!this.options.host.isOpen) return;
    try {
      await this.options.host.vault.service.recordRefusal(state.session.callerIfSignedIn, operation, 'app:Bridge', error);
    } catch (e) {
      this.options.log?.('the audit record of a refused message could not be written', e);
    }
  }

  #bridgeError(e: unknown): BridgeError {
    if (isKmsError(e)) return e instanceof ApprovalRequiredError ? { name: e.name, message: e.message, approvalRequestId: e.approvalRequestId } : { name: e.name, message: e.message };
    if ((e as Error)?.name === 'AbortError') return { name: 'AbortError', message: 'The job was cancelled; the file it was writing was removed.' };
    this.options.log?.('a bridge call failed', e);
    return { name: 'KMSInternalException', message: 'An internal error occurred; see the Strongroom log for details.' };
  }
}

/** A refusal made here, before any operation ran: recorded by the dispatcher itself. */
class Refusal extends Error {
  constructor(readonly error: KmsError) {
    super(error.message);
  }
}

/** The name a refused message is recorded under: its operation when that looks like one. */
function operationNameOf(message: unknown): string {
  const op = (message as { operation?: unknown } | null)?.operation;
  return typeof op === 'string' && /^[A-Za-z]{1,64}$/.test(op) ? op : 'BridgeMessage';
}

function checkSize(message: unknown): void {
  let bytes: number;
  try {
    bytes = serialize(message).byteLength;
  } catch {
    throw new Refusal(validation('The message cannot be read: it holds something that is not plain data.'));
  }
  if (bytes > MAX_MESSAGE_BYTES) throw new Refusal(validation(`The message is ${bytes} bytes, more than the ${MAX_MESSAGE_BYTES} a message may be; files go by path, not by content.`));
}

function checkNoPrincipal(message: unknown): void {
  if (typeof message !== 'object' || message === null) return;
  const named = PRINCIPAL_MEMBERS.filter((m) => Object.hasOwn(message, m));
  if (named.length) throw new Refusal(validation(`A message cannot say who calls (${named.join(', ')}): calls run as the window's signed-in user.`));
}

function parse<T extends z.ZodType>(schema: T, message: unknown): z.output<T> {
  const parsed = schema.safeParse(message);
  if (!parsed.success) throw new Refusal(validation(`The message is malformed: ${formatIssues(parsed.error.issues)}`));
  return parsed.data;
}
