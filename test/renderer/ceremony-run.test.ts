// The ceremony screen's plain logic (renderer/src/screens/ceremony/ceremony-run.ts):
// the RunCeremony input from the form, checked by the contract's schema;
// the steps learned from progress events, each phase shown, and settled by
// the result; the save dialog's proposal in the output folder.
import { describe, expect, it } from 'vitest';
import { inFolder, liveLine, runInput, stepState, withProgress, withResult, type Progress, type RunForm, type StepView } from '../../renderer/src/screens/ceremony/ceremony-run.js';

const FORM: RunForm = { source: 'file', scriptPath: ' ksk.yaml ', scriptText: '', outDir: 'out', transcriptPath: 'out/t.json', reportPath: '', witnesses: [{ UserName: 'wendy', Passphrase: 'passphrase of wendy' }] };
const event = (StepIndex: number, StepId: string, Type: string, Phase: Progress['Phase']): Progress => ({ StepIndex, StepCount: 3, StepId, Type, Phase });

describe('the RunCeremony input', () => {
  it('takes the script by path or as text, the paths trimmed, the report only when given, and empty witness rows dropped', () => {
    expect(runInput({ ...FORM, witnesses: [...FORM.witnesses, { UserName: ' ', Passphrase: '' }] })).toEqual({
      ScriptPath: 'ksk.yaml',
      OutDir: 'out',
      TranscriptPath: 'out/t.json',
      Witnesses: [{ UserName: 'wendy', Passphrase: 'passphrase of wendy' }],
    });
    expect(runInput({ ...FORM, source: 'text', scriptText: 'ceremony: x\n', reportPath: 'out/r.html', witnesses: [] })).toEqual({
      Script: 'ceremony: x\n',
      OutDir: 'out',
      TranscriptPath: 'out/t.json',
      ReportPath: 'out/r.html',
      Witnesses: [],
    });
  });

  it('names what is missing or wrong, never repeating a passphrase', () => {
    expect(runInput({ ...FORM, scriptPath: ' ' })).toBe('Choose the script file, or paste the script.');
    expect(runInput({ ...FORM, source: 'text' })).toBe('Paste the script (JSON or YAML).');
    expect(runInput({ ...FORM, outDir: '' })).toBe('Choose the output folder the steps write into.');
    expect(runInput({ ...FORM, transcriptPath: '' })).toMatch(/^Say where the transcript goes/);
    expect(runInput({ ...FORM, witnesses: [{ UserName: '', Passphrase: 'secret words' }] })).toBe("Witness 1: type the witness's user name.");
    expect(runInput({ ...FORM, witnesses: [{ UserName: 'wendy', Passphrase: '' }] })).toBe('wendy: the witness types their own passphrase.');
    expect(runInput({ ...FORM, witnesses: [FORM.witnesses[0]!, { UserName: 'wendy', Passphrase: 'another' }] })).toBe('wendy is named twice.');
    // the contract's own rules: a user name, at most 16 witnesses
    const badName = runInput({ ...FORM, witnesses: [{ UserName: 'not a name!', Passphrase: 'secret words' }] });
    expect(badName).toMatch(/^Witnesses\.0\.UserName: /);
    expect(badName).not.toContain('secret words');
    const many = Array.from({ length: 17 }, (_, i) => ({ UserName: `w${i}`, Passphrase: 'secret words' }));
    expect(runInput({ ...FORM, witnesses: many })).toMatch(/^Witnesses: /);
  });
});

describe('the steps shown', () => {
  it('learns the steps from progress events, each phase in turn, the later steps waiting', () => {
    let steps: StepView[] = [];
    expect(liveLine(steps)).toBe('Starting the ceremony…');
    const shown: string[][] = [];
    for (const e of [event(0, 'ksk', 'create-key', 'confirming'), event(0, 'ksk', 'create-key', 'running'), event(0, 'ksk', 'create-key', 'done'), event(1, 'pub', 'export-public-key', 'running')]) {
      steps = withProgress(steps, e);
      shown.push([liveLine(steps), ...steps.map(stepState)]);
    }
    expect(shown).toEqual([
      ['Step 1 of 3, ksk (create-key): Witnesses confirming…', 'Witnesses confirming…', 'Waiting', 'Waiting'],
      ['Step 1 of 3, ksk (create-key): Running…', 'Running…', 'Waiting', 'Waiting'],
      ['Step 1 of 3, ksk (create-key): Done', 'Done', 'Waiting', 'Waiting'],
      ['Step 2 of 3, pub (export-public-key): Running…', 'Done', 'Running…', 'Waiting'],
    ]);
    expect(steps.map((s) => s.Ran)).toEqual([true, true, undefined]);
  });

  it('a step that failed while its witnesses confirmed never ran; the result settles every step', () => {
    let steps = withProgress([], event(0, 'ksk', 'create-key', 'confirming'));
    steps = withProgress(steps, event(0, 'ksk', 'create-key', 'failed'));
    expect(stepState(steps[0]!)).toBe('Failed');
    expect(steps[0]!.Ran).toBe(false);
    const error = { Name: 'AccessDeniedException', Message: "Witness wendy could not confirm step 'ksk': …" };
    const settled = withResult(steps, {
      Ceremony: 'c',
      Status: 'incomplete',
      TranscriptPath: '/out/t.json',
      IndexSha256: '0'.repeat(64),
      Steps: [
        { Id: 'ksk', Type: 'create-key', Status: 'failed', Error: error },
        { Id: 'pub', Type: 'export-public-key', Status: 'not-run' },
        { Id: 'audit', Type: 'verify-audit', Status: 'not-run' },
      ],
    });
    expect(settled.map((s) => [s.Id, stepState(s), s.Ran ?? null, s.Error ?? null])).toEqual([
      ['ksk', 'Failed', false, error],
      ['pub', 'Not run', null, null],
      ['audit', 'Not run', null, null],
    ]);
  });
});

describe("the save dialog's proposal", () => {
  it('is the name in the output folder, with the folder’s own separator', () => {
    expect(inFolder('', 'transcript.json')).toBe('transcript.json');
    expect(inFolder('/home/op/out/', 'transcript.json')).toBe('/home/op/out/transcript.json');
    expect(inFolder('C:\\ceremony\\out', 'transcript.json')).toBe('C:\\ceremony\\out\\transcript.json');
  });
});
