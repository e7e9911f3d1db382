// The RunCeremony and VerifyCeremonyTranscript app operations
// (main/api/operations/app.ts) as functions each adapter runs: the desktop
// app through its session (main/session/app-operations.ts); the CLI's
// `ceremony run` and `ceremony verify` (main/cli/ceremony-script-commands.ts)
// run the same steps, asking for passphrases on the terminal.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { InputOf, OutputOf } from '../api/index.js';
import { digestHash } from '../core/audit/digest.js';
import type { Caller, CallSource } from '../core/service/caller.js';
import { accessDenied, validation } from '../core/errors.js';
import type { Vault } from '../vault/vault.js';
import { openTranscriptFiles, readScriptFile, verifyTranscriptFile } from './files.js';
import { runCeremony, type CeremonyProgress, type CeremonyRunner } from './run.js';
import { parseScript } from './script.js';
import type { Transcript, TranscriptCheck } from './transcript.js';

export interface CeremonySession {
  readonly service: CeremonyRunner['service'];
  readonly caller: Caller;
  readonly vaultId: string;
  readonly source: CallSource;
  /** where relative paths start */
  readonly cwd: string;
  /** the vault itself, for a backup step */
  readonly vault?: Vault;
}

/** What RunCeremony answers, from the transcript it wrote. */
export function runSummary(t: Transcript, transcriptPath: string, reportPath: string | undefined): OutputOf<'RunCeremony'> {
  return {
    Ceremony: t.header.ceremony,
    Status: t.header.status,
    TranscriptPath: transcriptPath,
    ...(reportPath !== undefined ? { ReportPath: reportPath } : {}),
    IndexSha256: digestHash(t.index),
    Steps: t.steps.map((s) => ({ Id: s.id, Type: s.type, Status: s.status, ...(s.error ? { Error: { Name: s.error.name, Message: s.error.message } } : {}) })),
  };
}

export async function runCeremonyOperation(s: CeremonySession, input: InputOf<'RunCeremony'>, onProgress?: (p: CeremonyProgress) => void): Promise<OutputOf<'RunCeremony'>> {
  const outDir = resolve(s.cwd, input.OutDir);
  const { script, dir } = input.ScriptPath !== undefined ? await readScriptFile(resolve(s.cwd, input.ScriptPath)) : { script: parseScript(input.Script!), dir: outDir };
  const given = new Map((input.Witnesses ?? []).map((w) => [w.UserName, w.Passphrase]));
  for (const name of given.keys()) if (!script.witnesses.includes(name)) throw validation(`${name} is not a witness of the ceremony ${script.ceremony}.`);
  const transcriptPath = resolve(s.cwd, input.TranscriptPath);
  const reportPath = input.ReportPath === undefined ? undefined : resolve(s.cwd, input.ReportPath);
  await mkdir(outDir, { recursive: true });
  const files = await openTranscriptFiles(transcriptPath, reportPath);
  try {
    const t = await runCeremony(script, {
      service: s.service,
      operator: s.caller,
      vaultId: s.vaultId,
      outDir,
      scriptDir: dir,
      ...(s.vault ? { vault: s.vault } : {}),
      source: s.source,
      witnessPassphrase: async (name) => {
        const p = given.get(name);
        if (p === undefined) throw accessDenied(`Witness ${name} gave no passphrase: each witness who confirms a step signs in with their own.`);
        return p;
      },
      ...(onProgress ? { onProgress } : {}),
    });
    await files.write(t);
    return runSummary(t, transcriptPath, reportPath);
  } finally {
    await files.discard();
  }
}

/** VerifyCeremonyTranscript's answer, from a check of the transcript. */
export function checkSummary(c: TranscriptCheck): OutputOf<'VerifyCeremonyTranscript'> {
  return {
    Valid: c.valid,
    ...(c.ceremony !== undefined ? { Ceremony: c.ceremony } : {}),
    ...(c.account !== undefined ? { Account: c.account } : {}),
    ...(c.status !== undefined ? { Status: c.status } : {}),
    PublicKeySource: c.publicKeySource,
    Steps: c.steps,
    FilesChecked: c.filesChecked,
    FilesMissing: c.filesMissing,
    Problems: c.problems.map((p) => ({ ...(p.step !== undefined ? { Step: p.step } : {}), Part: p.part, Message: p.message })),
  };
}

export async function verifyCeremonyOperation(cwd: string, input: InputOf<'VerifyCeremonyTranscript'>): Promise<OutputOf<'VerifyCeremonyTranscript'>> {
  const { check } = await verifyTranscriptFile(resolve(cwd, input.TranscriptPath), {
    ...(input.PublicKey !== undefined ? { publicKeyPem: input.PublicKey } : {}),
    ...(input.FilesDir !== undefined ? { filesDir: resolve(cwd, input.FilesDir) } : {}),
  });
  return checkSummary(check);
}
