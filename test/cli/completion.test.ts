// Shell completion: the candidates completion.ts computes for partial command
// lines (in-process), the hand-written commands' option table held to their
// help texts, and the real bash and zsh scripts sourced in those shells,
// calling back into the built binary as a TAB does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTRACT } from '../../main/api/index.js';
import { HAND_WRITTEN_COMMANDS } from '../../main/cli/command-options.js';
import { completeLine, completeWords, lineWords } from '../../main/cli/completion.js';
import { GLOBAL_OPTIONS } from '../../main/cli/global-options.js';
import { BUILTIN_COMMANDS } from '../../main/cli/help-text.js';
import { run } from '../../main/cli/run.js';
import { ensureBuilt, Workspace } from './binary.js';

const ws = new Workspace();
mkdirSync(ws.path('keys'));
writeFileSync(ws.path('keys/secret.txt'), 'x');
writeFileSync(ws.path('keys/second.bin'), 'y');
mkdirSync(ws.path('keys/sub'));

/** Completes `line` as typed, the cursor at its end, with no word breaks (as zsh asks). */
const complete = (line: string): string[] => completeWords(lineWords(line), ws.dir).sort();

/** Everything `strongroom <cmd> help` prints, run in-process. */
async function helpOf(command: string): Promise<string> {
  let out = '';
  const code = await run([...command.split(' '), 'help'], { env: {}, cwd: ws.dir, stdout: (t) => (out += t), stderr: (t) => (out += t) });
  expect(code, out).toBe(0);
  return out;
}

afterAll(() => ws.remove());

describe('candidates for a partial command line', () => {
  test.each([
    ['strongroom create-k', ['create-key']],
    ['strongroom approval a', ['approve']],
    ['strongroom iam create-u', ['create-user']],
    ['strongroom ceremony ', ['recover', 'run', 'split', 'verify']],
    ['strongroom backup r', ['restore']],
    ['strongroom --output text en', ['enable-key', 'enable-key-rotation', 'encrypt', 'encrypt-file']],
    ['strongroom help iam create-u', ['create-user']],
    ['strongroom completion ', ['bash', 'zsh']],
    ['strongroom create-key --key-s', ['--key-spec']],
    ['strongroom create-key --key-usage ENCRYPT_DECRYPT --key-u', ['--key-users']],
    ['strongroom create-key --key-usage S', ['SIGN_VERIFY']],
    ['strongroom encrypt --encryption-algorithm RSAES', ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']],
    ['strongroom list-keys --output ', ['json', 'table', 'text', 'yaml', 'yaml-stream']],
    ['strongroom --output=t', ['--output=table', '--output=text']],
    ['strongroom create-key --multi-region --no-multi', []],
    ['strongroom encrypt --plaintext fileb://keys/se', ['fileb://keys/second.bin', 'fileb://keys/secret.txt']],
    ['strongroom put-key-policy --policy file://keys/s', ['file://keys/second.bin', 'file://keys/secret.txt', 'file://keys/sub/']],
    ['strongroom encrypt-file --in a --in b --i', ['--in']],
    // a list field takes values up to the next option
    ['strongroom create-grant --operations Encrypt Dec', ['Decrypt']],
    ['strongroom create-grant --operations Encrypt Decrypt --key', ['--key-id']],
    ['strongroom create-grant --operations Encrypt --key-id k Dec', []],
    ['strongroom ceremony split --scheme ', ['ssss', 'strongroom']],
    ['strongroom list-keys --page', ['--page-size']],
    ['strongroom --deb', ['--debug']],
    // a path value and an unknown word are left to the shell's file completion
    ['strongroom encrypt-file --out ', []],
    ['strongroom no-such-command --', []],
  ])('%s', (line, expected) => {
    expect(complete(line)).toEqual(expected);
  });

  test('every choice of an enum field is offered, from the schema', () => {
    const choices = CONTRACT.CreateKey.input.shape.KeySpec.unwrap().options;
    expect(complete('strongroom create-key --key-spec ')).toEqual([...choices].sort());
  });

  test('an option written as a prefix is read as the parser reads it (option-prefix.ts)', () => {
    const choices = CONTRACT.CreateKey.input.shape.KeySpec.unwrap().options;
    expect(complete('strongroom create-key --key-sp ')).toEqual([...choices].sort());
    expect(complete('strongroom create-key --out ')).toEqual(['json', 'table', 'text', 'yaml', 'yaml-stream']); // --output's prefix
    expect(complete('strongroom encrypt-file --out ')).toEqual([]); // encrypt-file's own --out: a path
    expect(complete('strongroom create-key --key-sp RSA_2048 --')).not.toContain('--key-spec'); // given already
    expect(complete('strongroom re-encrypt --source-encryption-a ')).toContain('SYMMETRIC_DEFAULT');
    expect(complete('strongroom re-encrypt --source-e ')).not.toContain('SYMMETRIC_DEFAULT'); // ambiguous: no option's values
  });

  test('an option already given is not offered again, nor a global one', () => {
    const given = complete('strongroom create-key --description d --output json --');
    expect(given).toContain('--key-spec');
    expect(given).toContain('--tags');
    expect(given).toContain('--query');
    expect(given).not.toContain('--description');
    expect(given).not.toContain('--output');
  });

  test('the top level offers every command word, and the global options after a dash', () => {
    const top = complete('strongroom ');
    for (const word of ['init', 'encrypt-file', 'audit', 'ceremony', 'backup', 'approval', 'iam', 'tenant', 'sts', 'create-key', 'completion']) expect(top).toContain(word);
    expect(top).not.toContain('create-user');
    expect(complete('strongroom --')).toEqual(GLOBAL_OPTIONS.map((g) => g.option).sort());
  });

  test('quotes and backslashes are taken out of the words', () => {
    expect(lineWords(`strongroom create-key --description 'a b' --ta`)).toEqual(['strongroom', 'create-key', '--description', 'a b', '--ta']);
    expect(lineWords('strongroom a\\ b ')).toEqual(['strongroom', 'a b', '']);
  });

  test("bash's word breaks: the candidate is cut after the last : or = of the word", () => {
    const breaks = `"'><=;|&(:`;
    expect(completeLine('strongroom encrypt --plaintext fileb://keys/secr', 48, breaks, ws.dir)).toEqual(['//keys/secret.txt']);
    expect(completeLine('strongroom --output=te', 22, breaks, ws.dir)).toEqual(['text']);
    // the cursor, not the end of the line, ends the word
    expect(completeLine('strongroom create-k --key-spec RSA_2048', 19, breaks, ws.dir)).toEqual(['create-key']);
  });
});

describe("the hand-written commands' options", () => {
  test('cover BUILTIN_COMMANDS (help takes command names)', () => {
    expect(Object.keys(HAND_WRITTEN_COMMANDS).sort()).toEqual(BUILTIN_COMMANDS.map((c) => c.command).filter((c) => c !== 'help').sort());
  });

  test.each(Object.keys(HAND_WRITTEN_COMMANDS).filter((c) => c !== 'start'))('are the options `%s help` documents', async (command) => {
    const globals = new Set(GLOBAL_OPTIONS.map((g) => g.option));
    const documented = new Set([...(await helpOf(command)).matchAll(/--[a-z][a-z-]*[a-z]/g)].map((m) => m[0]).filter((o) => !globals.has(o) && o !== '--help'));
    expect(new Set(HAND_WRITTEN_COMMANDS[command]?.options.map((o) => o.option))).toEqual(documented);
  });
});

describe('the scripts, sourced in the shell, against the built binary', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  /** Sets the variables bash sets for a TAB at the end of `line` (split as bash splits it), runs the function, prints COMPREPLY. */
  const tab = (words: readonly string[], line: string): string =>
    [
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
      `COMP_CWORD=${words.length - 1}`,
      `COMP_LINE='${line}'`,
      'COMP_POINT=${#COMP_LINE}',
      `_strongroom_complete strongroom '${words.at(-1) ?? ''}' '${words.at(-2) ?? ''}'`,
      `printf '%s\\n' "\${COMPREPLY[@]}"`,
      "echo '=='",
    ].join('\n');

  /** The COMPREPLYs printed, one list per TAB. */
  const replies = (stdout: string): string[][] =>
    stdout
      .split('==\n')
      .slice(0, -1)
      .map((block) => block.split('\n').filter(Boolean));

  test('bash: registered for strongroom, and COMPREPLY holds what the binary prints', async () => {
    const r = await ws.sh(
      [
        'eval "$(strongroom completion bash)"',
        'complete -p strongroom',
        tab(['strongroom', 'create-k'], 'strongroom create-k'),
        tab(['strongroom', 'approval', 'a'], 'strongroom approval a'),
        tab(['strongroom', 'create-key', '--key-usage', ''], 'strongroom create-key --key-usage '),
        `COMP_WORDBREAKS=$'"\\'><=;|&(:'`,
        tab(['strongroom', 'encrypt', '--plaintext', 'fileb', ':', '//keys/secr'], 'strongroom encrypt --plaintext fileb://keys/secr'),
        tab(['strongroom', 'encrypt-file', '--out', ''], 'strongroom encrypt-file --out '),
      ].join('\n'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(replies(r.stdout)).toEqual([
      ['complete -o default -F _strongroom_complete strongroom', 'create-key'],
      ['approve'],
      ['ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'SIGN_VERIFY'],
      ['//keys/secret.txt'],
      // nothing: bash's -o default completes the file name
      [],
    ]);
  });

  test('zsh: loads through bashcompinit, and COMPREPLY holds what the binary prints', async () => {
    expect(spawnSync('zsh', ['--version'], { encoding: 'utf8' }).stdout, 'zsh must be installed (.ci/run installs it)').toMatch(/^zsh 5/);
    const script = [
      'eval "$(strongroom completion zsh)"',
      'print -r -- "$_comps[strongroom]"',
      tab(['strongroom', 'iam', 'create-u'], 'strongroom iam create-u'),
      tab(['strongroom', 'list-keys', '--output', ''], 'strongroom list-keys --output '),
      tab(['strongroom', 'decrypt', '--ciphertext-blob', 'fileb://keys/s'], 'strongroom decrypt --ciphertext-blob fileb://keys/s'),
    ].join('\n');
    const r = await ws.sh(`HOME=${ws.dir} zsh -f -c ${shellQuote(script)}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(replies(r.stdout)).toEqual([
      ['_bash_complete -o default -F _strongroom_complete', 'create-user'],
      ['json', 'table', 'text', 'yaml', 'yaml-stream'],
      ['fileb://keys/second.bin', 'fileb://keys/secret.txt', 'fileb://keys/sub/'],
    ]);
  });

  test('`completion` refuses another shell, and its help says how to load the script', async () => {
    const bad = await ws.run(['completion', 'fish']);
    expect(bad.code).toBe(252);
    expect(bad.stderr).toContain("Invalid choice 'fish', valid choices are: bash, zsh");
    const help = await ws.run(['completion', 'help']);
    expect(help.stdout).toContain('eval "$(strongroom completion bash)"');
    expect(help.stdout).toContain('eval "$(strongroom completion zsh)"');
  });
});

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
