// The EncryptFile and DecryptFile app operations (main/api/operations/app.ts)
// in their two steps, so that each adapter runs the same code: the desktop
// app through AppSession (app-operations.ts), the CLI's encrypt-file and
// decrypt-file (cli/file-commands.ts) directly, because it plans before it
// asks for passphrases (a bad request fails without a prompt).
//
//   const input = checkAppInput('EncryptFile', given);                        // the contract's schema
//   const plan = await planFileOperation('EncryptFile', input, { cwd });      // no key used yet
//   const { Files } = await runFileOperation(service, caller, 'EncryptFile', input, plan, events);
import type { Readable, Writable } from 'node:stream';
import type { InputOf, OutputOf } from '../api/index.js';
import type { Caller } from '../core/service/caller.js';
import { validation } from '../core/errors.js';
import type { DecryptService } from '../files/decrypt-file.js';
import { decryptFileJob, encryptFileJob, planFileJob, type FileJobPlan, type TargetNames } from '../files/file-jobs.js';
import type { AppEvents } from './app-handler.js';

export type FileOperationName = 'EncryptFile' | 'DecryptFile';

/** Where a file operation runs: relative paths start at cwd; `-` is stdin or stdout where the adapter has them (the CLI). */
export interface FilePlace {
  readonly cwd: string;
  readonly stdio?: { readonly stdin: Readable; readonly stdout: Writable };
  /** how refusals name In, Out and OutDir: default the contract's names; the CLI gives its options */
  readonly names?: TargetNames;
}

/** The job's (input, output) pairs, from an input the contract's schema passed; refusals are ValidationException. */
export async function planFileOperation(name: FileOperationName, input: InputOf<FileOperationName>, place: FilePlace): Promise<FileJobPlan> {
  const stdin = (p: string) => (p === '-' ? (place.stdio?.stdin ?? noStdio('standard input')) : p);
  const stdout = (p: string) => (p === '-' ? (place.stdio?.stdout ?? noStdio('standard output')) : p);
  return planFileJob(
    name === 'EncryptFile' ? 'encrypt' : 'decrypt',
    {
      In: input.In.map(stdin),
      ...(input.Out !== undefined ? { Out: stdout(input.Out) } : {}),
      ...(input.OutDir !== undefined ? { OutDir: input.OutDir } : {}),
      cwd: place.cwd,
    },
    place.names,
  );
}

function noStdio(what: string): never {
  throw validation(`- (${what}) is for the command line; give a path.`);
}

/** Runs a planned job as the caller: every key use is a vault call, authorized and audited. */
export async function runFileOperation<N extends FileOperationName>(
  /** the vault service; age files also need its callInternal (files/age-decrypt.ts) */
  service: DecryptService,
  caller: Caller,
  name: N,
  input: InputOf<N>,
  plan: FileJobPlan,
  events: AppEvents = {},
): Promise<OutputOf<N>> {
  const opts = { ...(events.signal ? { signal: events.signal } : {}), ...(events.onProgress ? { onProgress: events.onProgress } : {}) };
  const context = input.EncryptionContext !== undefined ? { EncryptionContext: input.EncryptionContext } : {};
  if (name === 'EncryptFile') {
    const { KeyId, SegmentSize } = input as InputOf<'EncryptFile'>;
    const { Files } = await encryptFileJob(service, caller, { Plan: plan, KeyId, ...context, ...(SegmentSize !== undefined ? { SegmentSize } : {}) }, opts);
    return { Files } as OutputOf<N>;
  }
  const { KeyId } = input as InputOf<'DecryptFile'>;
  const { Files } = await decryptFileJob(service, caller, { Plan: plan, ...context, ...(KeyId !== undefined ? { KeyId } : {}) }, opts);
  return { Files } as OutputOf<N>;
}
