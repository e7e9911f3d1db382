// The ceremony screen's plain logic: the RunCeremony input from what the
// form holds (checked against the contract's own schema, never a copy of
// its rules), and the steps as the screen shows them — learned one by one
// from the run's progress events (the script is parsed only in main:
// main/ceremony/script.ts needs Node), then settled by the run's result.
import { CONTRACT, type InputOf, type OutputOf } from '../../../../main/api/index.js';
import type { ProgressOf } from '../../../../main/api/bridge.js';

export type Progress = ProgressOf<'RunCeremony'>;
type Result = OutputOf<'RunCeremony'>;

export interface WitnessRow {
  UserName: string;
  Passphrase: string;
}

export interface RunForm {
  source: 'file' | 'text';
  scriptPath: string;
  scriptText: string;
  outDir: string;
  transcriptPath: string;
  /** optional: '' for none */
  reportPath: string;
  witnesses: WitnessRow[];
}

/** The input RunCeremony gets, or the sentence that says what is missing or wrong. */
export function runInput(f: RunForm): InputOf<'RunCeremony'> | string {
  if (f.source === 'file' && !f.scriptPath.trim()) return 'Choose the script file, or paste the script.';
  if (f.source === 'text' && !f.scriptText.trim()) return 'Paste the script (JSON or YAML).';
  if (!f.outDir.trim()) return 'Choose the output folder the steps write into.';
  if (!f.transcriptPath.trim()) return 'Say where the transcript goes (a .json file in the output folder).';
  const witnesses: WitnessRow[] = [];
  for (const [i, w] of f.witnesses.entries()) {
    const name = w.UserName.trim();
    if (!name && !w.Passphrase) continue; // an empty row
    if (!name) return `Witness ${i + 1}: type the witness's user name.`;
    if (!w.Passphrase) return `${name}: the witness types their own passphrase.`;
    if (witnesses.some((o) => o.UserName === name)) return `${name} is named twice.`;
    witnesses.push({ UserName: name, Passphrase: w.Passphrase });
  }
  const input: InputOf<'RunCeremony'> = {
    ...(f.source === 'file' ? { ScriptPath: f.scriptPath.trim() } : { Script: f.scriptText }),
    OutDir: f.outDir.trim(),
    TranscriptPath: f.transcriptPath.trim(),
    ...(f.reportPath.trim() ? { ReportPath: f.reportPath.trim() } : {}),
    Witnesses: witnesses,
  };
  const parsed = CONTRACT.RunCeremony.input.safeParse(input);
  if (parsed.success) return input;
  // an issue names where and what, never the value (a passphrase stays out of the message)
  const issue = parsed.error.issues[0]!;
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

/** A step as the screen shows it; undefined members are not known yet. */
export interface StepView {
  Id?: string;
  Type?: string;
  /** the last progress event's phase */
  Phase?: Progress['Phase'];
  /** the step began to run: a failure before that was a witness's confirmation */
  Ran?: boolean;
  /** from the result */
  Status?: Result['Steps'][number]['Status'];
  Error?: { Name: string; Message: string };
}

/** The steps after one progress event: the first event says how many there are. */
export function withProgress(steps: readonly StepView[], p: Progress): StepView[] {
  const next = Array.from({ length: Math.max(p.StepCount, steps.length) }, (_, i) => steps[i] ?? {});
  const old = next[p.StepIndex]!;
  next[p.StepIndex] = { ...old, Id: p.StepId, Type: p.Type, Phase: p.Phase, Ran: old.Ran === true || p.Phase === 'running' };
  return next;
}

/** The steps as the result settles them: each step's status, and a failed step's error. */
export function withResult(steps: readonly StepView[], result: Result): StepView[] {
  return result.Steps.map((s, i) => ({ ...steps[i], Id: s.Id, Type: s.Type, Status: s.Status, ...(s.Error ? { Error: s.Error } : {}) }));
}

const PHASES: Record<Progress['Phase'], string> = { confirming: 'Witnesses confirming…', running: 'Running…', done: 'Done', failed: 'Failed' };
const STATUSES: Record<NonNullable<StepView['Status']>, string> = { done: 'Done', failed: 'Failed', 'not-run': 'Not run' };

/** What the step's row says it is doing or did. */
export function stepState(s: StepView): string {
  if (s.Status) return STATUSES[s.Status];
  return s.Phase ? PHASES[s.Phase] : 'Waiting';
}

/** The live line over the steps: which step of how many, and its phase. */
export function liveLine(steps: readonly StepView[]): string {
  const i = steps.findLastIndex((s) => s.Phase !== undefined);
  if (i < 0) return 'Starting the ceremony…';
  const s = steps[i]!;
  return `Step ${i + 1} of ${steps.length}, ${s.Id} (${s.Type}): ${PHASES[s.Phase!]}`;
}

/** A name in a folder, with the folder's own separator, for a save dialog's proposal ('' folder: the name alone). */
export function inFolder(dir: string, name: string): string {
  const folder = dir.trim().replace(/[\\/]+$/, '');
  if (!folder) return name;
  return `${folder}${folder.includes('\\') && !folder.includes('/') ? '\\' : '/'}${name}`;
}
