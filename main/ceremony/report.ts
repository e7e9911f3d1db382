// The printable form of a transcript (text, or HTML for a browser's print),
// made from the transcript itself: what a witness signs on paper. It says
// the ceremony, the participants, each step with its inputs, outputs, files
// (SHA-256) and confirmations, the audit records, and the signed index's
// SHA-256 and the audit key's fingerprint to read aloud. It is a view: the
// JSON transcript is what verifies.
import { createHash } from 'node:crypto';
import { digestHash, publicKeyFromPem } from '../core/audit/digest.js';
import type { StepRecord, Transcript } from './transcript.js';

export type ReportFormat = 'text' | 'html';

function keyFingerprint(pem: string): string {
  try {
    return createHash('sha256').update(publicKeyFromPem(pem).export({ type: 'spki', format: 'der' })).digest('hex');
  } catch {
    return '(not an Ed25519 public key)';
  }
}

/** The report's lines, as [label, value] under headings. */
function sections(t: Transcript): { title: string; rows: [string, string][] }[] {
  const h = t.header;
  const head = {
    title: `Ceremony transcript: ${h.ceremony}`,
    rows: [
      ['Status', h.status === 'complete' ? 'complete: every step ran' : `INCOMPLETE: step '${h.failure?.step}' failed (${h.failure?.error.name}: ${h.failure?.error.message})`],
      ['Vault', h.vaultId],
      ['Account', `${h.account} (region ${h.region})`],
      ['Operator', h.operator.arn],
      ['Witnesses', h.witnesses.map((w) => w.arn).join(', ') || '(none)'],
      ['Started', h.startedAt],
      ['Finished', h.finishedAt],
      ['Script SHA-256', `${h.script.sha256} (${h.script.format})`],
      ['Signed index SHA-256', digestHash(t.index)],
      ['Audit key SHA-256 (SPKI)', keyFingerprint(h.auditPublicKey)],
    ] as [string, string][],
  };
  return [head, ...t.steps.map((s, i) => ({ title: `Step ${i + 1}: ${s.id} (${s.type}) — ${s.status}`, rows: stepRows(s) }))];
}

function stepRows(s: StepRecord): [string, string][] {
  const rows: [string, string][] = [];
  if (s.startedAt) rows.push(['Ran', `${s.startedAt} to ${s.finishedAt ?? '?'}`]);
  rows.push(['Inputs', JSON.stringify(s.inputs)]);
  if (s.outputs) rows.push(['Outputs', JSON.stringify(s.outputs)]);
  if (s.error) rows.push(['Error', `${s.error.name}: ${s.error.message}`]);
  for (const c of s.confirmations) rows.push(['Confirmed by', `${c.arn} at ${c.at}`]);
  for (const f of s.files) rows.push(['File', `${f.path}  ${f.bytes} bytes  SHA-256 ${f.sha256}`]);
  if (s.audit.records.length) rows.push(['Audit records', `seq ${s.audit.fromSeq}..${s.audit.toSeq}`]);
  for (const r of s.audit.records) rows.push([`  #${r.seq}`, `${r.eventName}${r.userName ? ` by ${r.userName}` : ''}${r.errorCode ? ` (${r.errorCode})` : ''}${r.signIn ? ' (sign-in refused)' : ''}  ${r.eventID}  ${r.hash}`]);
  return rows;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function transcriptReport(t: Transcript, format: ReportFormat): string {
  const parts = sections(t);
  if (format === 'text') {
    return `${parts
      .map((p) => {
        const width = Math.max(...p.rows.map(([k]) => k.length));
        return `${p.title}\n${'='.repeat(Math.min(p.title.length, 78))}\n${p.rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
      })
      .join('\n')}\nVerify with: strongroom ceremony verify TRANSCRIPT [--public-key AUDIT_KEY.pem]\n`;
  }
  const body = parts
    .map((p) => `<section>\n<h2>${escape(p.title)}</h2>\n<table>\n${p.rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('\n')}\n</table>\n</section>`)
    .join('\n');
  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escape(parts[0]!.title)}</title>\n` +
    '<style>body{font:11pt sans-serif;margin:2em}th{text-align:left;vertical-align:top;padding-right:1em;white-space:nowrap}td{font-family:monospace;word-break:break-all}section{break-inside:avoid;margin-bottom:1.5em}</style>\n' +
    `</head>\n<body>\n${body}\n<p>Verify with: <code>strongroom ceremony verify TRANSCRIPT [--public-key AUDIT_KEY.pem]</code></p>\n</body>\n</html>\n`
  );
}
