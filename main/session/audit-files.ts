// The ExportAuditTrail and VerifyAuditTrail app operations
// (main/api/operations/app.ts) as functions each adapter runs: the desktop
// app through AppSession (app-operations.ts), the CLI's `audit export --out`
// and `audit verify --file` (cli/audit-commands.ts) directly, because it
// checks the destination before it asks for passphrases.
import { constants as buffer } from 'node:buffer';
import type { OutputOf } from '../api/index.js';
import { verifyExport } from '../core/audit/export.js';
import { summary } from '../core/audit/verify.js';
import type { Caller } from '../core/service/caller.js';
import type { Service } from '../core/service/service.js';
import { checkPaths, openOutput, type Output } from '../files/outputs.js';

/**
 * The largest export there can be: ExportEvents returns the export as one
 * string, and V8 holds at most buffer.constants.MAX_STRING_LENGTH (2^29 - 24
 * in Node 20) UTF-16 code units in one; an export is JSON, ASCII but for what
 * its records quote.
 */
export const MAX_EXPORT_BYTES = buffer.MAX_STRING_LENGTH;

/**
 * The export's destination, checked and its temporary file made: a path that
 * cannot be written (no such directory, a directory, no permission) is refused
 * before the export is made. Discard it if the export is not written.
 */
export async function openExportFile(path: string): Promise<Output> {
  return openOutput({ path }, await checkPaths(undefined, path));
}

/** Exports the caller's tenant's trail into the opened file and renames it into place. */
export async function writeExport(service: Pick<Service, 'call'>, caller: Caller, output: Output, path: string): Promise<OutputOf<'ExportAuditTrail'>> {
  const { Export } = await service.call(caller, 'ExportEvents', {});
  const bytes = Buffer.from(Export, 'utf8');
  await output.sink.write([bytes], bytes.length);
  await output.sink.flush();
  await output.commit();
  // the counts are read back from the export itself (docs/audit-format.md §4): what was written is what is reported
  const lines = Export.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { OutPath: path, Records: lines.filter((l) => 'seq' in l).length, Digests: lines.filter((l) => 'digest' in l).length };
}

/** Verifies an export's text, with the audit public key given (PEM) or, without one, the key in its header. */
export function verifyExportText(text: string, publicKeyPem: string | undefined): OutputOf<'VerifyAuditTrail'> {
  const r = verifyExport(text, publicKeyPem);
  return {
    Valid: r.ok,
    Account: r.account,
    Records: r.records,
    Digests: r.digests,
    PublicKeySource: publicKeyPem === undefined ? 'file' : 'trusted',
    Summary: summary(r),
    Problems: r.problems.map((p) => ({ ...(p.seq !== null ? { Seq: p.seq } : {}), Kind: p.kind, Message: p.message })),
  };
}
