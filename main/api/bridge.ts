// The desktop bridge, as the renderer sees it: `window.strongroom`, the one
// object the preload (preload/preload.ts) exposes, and the messages it
// exchanges with the main process's dispatcher (main/bridge/dispatcher.ts).
// Node-free like the rest of main/api: the renderer imports these types.
//
// Results cross as values, never as thrown errors (DESIGN §7): a thrown
// Error loses its name on its way through contextBridge, and an AWS
// exception name is what the renderer matches on.
import type { z } from 'zod';
import type { InputOf, OperationName, OutputOf } from './index.js';
import type { CeremonyProgress, FileJobProgress } from './operations/app.js';

/** The IPC channels; the dispatcher refuses any other. */
export const CHANNELS = {
  /** renderer → main: run an operation; answered with a BridgeResult */
  call: 'strongroom:call',
  /** renderer → main: stop a running file job by its call id */
  cancel: 'strongroom:cancel',
  /** main → renderer: session events and file job progress */
  event: 'strongroom:event',
} as const;

/**
 * The largest message the dispatcher reads, as structured-clone bytes. The
 * biggest legitimate inputs are a 32 KiB policy or a wrapped RSA-4096
 * private key for ImportKeyMaterial; files travel as paths, never as bytes.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** A call message: exactly these members. Who calls comes from the window's session in main, never from here. */
export interface CallMessage {
  /** chosen by the preload; names the call in progress events and cancellation */
  readonly id: string;
  readonly operation: string;
  readonly input?: unknown;
}

export interface CancelMessage {
  readonly id: string;
}

/** An AWS exception name (or AbortError for a cancelled job) and a sentence a person understands. */
export interface BridgeError {
  readonly name: string;
  readonly message: string;
  /** ApprovalRequiredException: the approval request now holding the call (GetApprovalRequest shows it) */
  readonly approvalRequestId?: string;
}

export type BridgeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BridgeError };

/** What the main process tells a window without being asked. */
export type SessionEvent =
  /** the session was signed out by the idle timer, the OS screen lock or a suspend: sign in again */
  | { readonly type: 'locked'; readonly reason: 'idle' | 'screen-locked' | 'suspend' }
  /** the session was signed out (SignOut, or another window of the same session) */
  | { readonly type: 'signed-out' }
  /** a file job's progress, for the call with this id */
  | { readonly type: 'progress'; readonly id: string; readonly progress: z.output<typeof FileJobProgress> }
  /** a ceremony's progress (RunCeremony), for the call with this id */
  | { readonly type: 'ceremony-progress'; readonly id: string; readonly progress: z.output<typeof CeremonyProgress> };

/** A file job in progress: its result, and how to stop it (the job then ends with AbortError). */
export interface RunningJob<T> {
  readonly result: Promise<BridgeResult<T>>;
  cancel(): void;
}

export type FileJobName = 'EncryptFile' | 'DecryptFile';

/** The operations that report progress, and the event that carries it: the preload routes each by its call id. */
export interface ProgressEvents {
  readonly EncryptFile: 'progress';
  readonly DecryptFile: 'progress';
  readonly RunCeremony: 'ceremony-progress';
}

/** What an operation's progress events carry. */
export type ProgressOf<N extends keyof ProgressEvents> = Extract<SessionEvent, { type: ProgressEvents[N] }>['progress'];

/** `window.strongroom`: frozen, and the only thing the preload exposes. */
export interface StrongroomBridge {
  /** Runs any operation of the contract as the window's signed-in user; typed by its name. */
  call<N extends OperationName>(name: N, input: InputOf<N>): Promise<BridgeResult<OutputOf<N>>>;
  /** Starts a file job that reports progress and can be cancelled. */
  startFileJob<N extends FileJobName>(name: N, input: InputOf<N>, onProgress: (progress: ProgressOf<N>) => void): RunningJob<OutputOf<N>>;
  /** Runs a ceremony script (RunCeremony), telling onProgress as each step is confirmed, runs and ends. */
  runCeremony(input: InputOf<'RunCeremony'>, onProgress: (progress: ProgressOf<'RunCeremony'>) => void): Promise<BridgeResult<OutputOf<'RunCeremony'>>>;
  signIn(input: InputOf<'SignIn'>): Promise<BridgeResult<OutputOf<'SignIn'>>>;
  signOut(): Promise<BridgeResult<OutputOf<'SignOut'>>>;
  /** Listens for session events (locked, signed out); returns the function that stops listening. */
  onSessionEvent(listener: (event: Extract<SessionEvent, { type: 'locked' | 'signed-out' }>) => void): () => void;
  /**
   * The path of a file the user dropped on the page (Electron's
   * webUtils.getPathForFile), for EncryptFile/DecryptFile inputs; '' for a
   * File that is no file on disk (one the page made itself). Runs in the
   * preload: no message crosses.
   */
  pathForFile(file: File): string;
}
