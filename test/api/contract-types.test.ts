// The compiler enforces the contract (issue 10): a call with the wrong input
// or an unknown name, a wrong reading of an output, a contract entry without
// a handler, or a handler bound to the wrong entry does not compile. The
// fixture is compiled with the project's own settings, and every line marked
// "refused" must carry an error (and no other line may).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/wrong-calls.ts', import.meta.url));

describe('the compiler checks calls and handlers against the contract', () => {
  it('refuses every marked line of the fixture, and nothing else', () => {
    const config = ts.getParsedCommandLineOfConfigFile(`${ROOT}/tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } })!;
    const program = ts.createProgram([FIXTURE], { ...config.options, noEmit: true });
    const source = program.getSourceFile(FIXTURE)!;
    const errorLines = new Set(
      ts.getPreEmitDiagnostics(program, source).map((d) => source.getLineAndCharacterOfPosition(d.start ?? 0).line + 1),
    );
    const marked = readFileSync(FIXTURE, 'utf8')
      .split('\n')
      .flatMap((line, i) => (/\/\/ refused:/.test(line) ? [i + 1] : []));
    expect(marked.length).toBe(7);
    expect([...errorLines].sort((a, b) => a - b)).toEqual(marked);
  }, 120_000);
});
