// A ceremony's files, the same for the CLI and the desktop app: the script
// read from its file, the transcript and its printable form written
// atomically (files/outputs.ts: a temporary file renamed into place, so
// nothing half-written is left), and a transcript file verified with the
// output files beside it.
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { validation } from '../core/errors.js';
import { checkPaths, openOutput, type Output } from '../files/outputs.js';
import { transcriptReport, type ReportFormat } from './report.js';
import { MAX_SCRIPT_BYTES, parseScript, type CeremonyScript } from './script.js';
import { transcriptText, verifyTranscript, type FileReader, type Transcript, type TranscriptCheck } from './transcript.js';

/** The largest transcript read: a hundred steps of a few kilobytes each, with room to spare. */
export const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024;

async function readAtMost(path: string, max: number, what: string): Promise<string> {
  try {
    if ((await stat(path)).size > max) throw validation(`${path} is larger than any ${what} can be (${max} bytes).`);
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as Error).name === 'ValidationException') throw e;
    throw validation(`Cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

/** Reads and checks a script file; its relative paths start in its own folder. */
export async function readScriptFile(path: string): Promise<{ script: CeremonyScript; dir: string }> {
  return { script: parseScript(await readAtMost(path, MAX_SCRIPT_BYTES, 'ceremony script')), dir: dirname(path) };
}

/** The printable form's format by the file's name: .html or .htm is HTML, anything else text. */
export const reportFormatOf = (path: string): ReportFormat => (/\.html?$/i.test(path) ? 'html' : 'text');

/** Writes text into an opened output and renames it into place. */
async function commitText(output: Output, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  await output.sink.write([bytes], bytes.length);
  await output.sink.flush();
  await output.commit();
}

/** Writes text to a file atomically: checked, a temporary file beside it, renamed into place once complete. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const output = await openOutput({ path }, await checkPaths(undefined, path));
  try {
    await commitText(output, text);
  } finally {
    await output.discard(); // a no-op once committed
  }
}

export interface TranscriptFiles {
  /** writes the transcript (and its printable form) and renames them into place */
  write(t: Transcript): Promise<void>;
  /** removes what was not written; the destinations are untouched */
  discard(): Promise<void>;
}

/**
 * The transcript's destination (and its printable form's), checked and their
 * temporary files made before the ceremony runs: a ceremony is not run only
 * to find its transcript cannot be written.
 */
export async function openTranscriptFiles(path: string, reportPath?: string): Promise<TranscriptFiles> {
  const outputs: Output[] = [];
  try {
    outputs.push(await openOutput({ path }, await checkPaths(undefined, path)));
    if (reportPath !== undefined) outputs.push(await openOutput({ path: reportPath }, await checkPaths(undefined, reportPath)));
  } catch (e) {
    for (const o of outputs) await o.discard();
    throw e;
  }
  return {
    async write(t) {
      await commitText(outputs[0]!, transcriptText(t));
      if (reportPath !== undefined) await commitText(outputs[1]!, transcriptReport(t, reportFormatOf(reportPath)));
    },
    async discard() {
      for (const o of outputs) await o.discard(); // a no-op once committed
    },
  };
}

/**
 * Reads the output files a transcript names from `dir`: only relative paths
 * inside it (a transcript naming /etc/passwd or ../x gets "missing"), and
 * only regular files no larger than the most a ceremony writes.
 */
export function filesIn(dir: string, maxBytes = MAX_TRANSCRIPT_BYTES): FileReader {
  return (path) => {
    if (isAbsolute(path) || normalize(path).split(/[\\/]/).includes('..')) return undefined;
    const full = join(dir, path);
    try {
      const s = statSync(full);
      return s.isFile() && s.size <= maxBytes ? readFileSync(full) : undefined;
    } catch {
      return undefined;
    }
  };
}

/** Verifies a transcript file, with the output files in filesDir (default: the transcript's folder). */
export async function verifyTranscriptFile(path: string, opts: { publicKeyPem?: string; filesDir?: string } = {}): Promise<{ check: TranscriptCheck; text: string }> {
  const text = await readAtMost(path, MAX_TRANSCRIPT_BYTES, 'ceremony transcript');
  return { check: verifyTranscript(text, { ...(opts.publicKeyPem !== undefined ? { publicKeyPem: opts.publicKeyPem } : {}), readFile: filesIn(opts.filesDir ?? dirname(path)) }), text };
}
