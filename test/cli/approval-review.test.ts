// `strongroom approval approve --request-id ID` at a terminal, without
// --request-hash (issue 13): the command shows the request and approves only
// when the approver types the first 8 characters of its RequestHash. run()
// in-process against a real vault, the terminal's question answered by
// the test (as ceremony.test.ts answers passphrase prompts), and once the
// built binary under a real pseudo-terminal (util-linux `script`), which
// runs the terminal prompt itself. Without a terminal the hash stays
// required.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CliIo } from '../../main/cli/cli-io.js';
import { run } from '../../main/cli/run.js';
import { InterruptedError, NoTerminalError } from '../../main/cli/terminal-prompt.js';
import { BIN, childEnv, ensureBuilt, VAULT_PASSPHRASE, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

/** What the approver types, given the text the terminal showed them. */
type Answer = (shown: string) => string;

interface Cli {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** what the terminal showed before each question */
  readonly asked: string[];
}

describe('approval approve at a terminal', () => {
  const ws = new Workspace();
  afterAll(() => ws.remove());
  const envOf = (user: string) => ({ STRONGROOM_VAULT: ws.vault, STRONGROOM_VAULT_PASSPHRASE: VAULT_PASSPHRASE, STRONGROOM_USER: user, STRONGROOM_PASSPHRASE: `${user} passphrase` });

  /** run() in-process as `user`; `answer` (when given) answers the question, at a terminal unless `interactive` is false */
  async function cli(argv: string[], user = 'admin', answer?: Answer, interactive = true, env: NodeJS.ProcessEnv = {}): Promise<Cli> {
    let out = '';
    let err = '';
    const asked: string[] = [];
    const io: CliIo = {
      env: { ...envOf(user), ...env },
      cwd: ws.dir,
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      promptSecret: async () => {
        throw new NoTerminalError('no terminal');
      },
      promptLine: async (shown) => {
        asked.push(shown);
        if (!answer) throw new Error('unexpected question');
        return answer(shown);
      },
      interactive,
    };
    const code = await run(argv, io);
    return { code, out, err, asked };
  }
  async function json(argv: string[], user = 'admin', env: NodeJS.ProcessEnv = {}): Promise<any> {
    const r = await cli(argv, user, undefined, false, env);
    expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(0);
    return r.out.trim() ? JSON.parse(r.out) : {};
  }
  /** a guarded call, held: its approval request's id */
  async function held(argv: string[]): Promise<string> {
    const r = await cli(argv, 'admin', undefined, false);
    expect(r.code, r.out).toBe(254);
    expect(r.err).toContain('ApprovalRequiredException');
    const id = /approval request ([0-9a-f-]{36}) holds this call/.exec(r.err)?.[1];
    expect(r.err).toContain(`Approvers, at a terminal: strongroom approval approve --request-id ${id} (shows the request`);
    return id!;
  }
  const show = async (id: string) => (await json(['approval', 'show', '--request-id', id])).Request;
  /** the RequestHash as the terminal showed it */
  const hashShown = (shown: string): string => {
    const hash = /^ {2}RequestHash +([0-9a-f]{64})$/m.exec(shown)?.[1];
    expect(hash, shown).toBeDefined();
    return hash!;
  };
  const typesPrefix: Answer = (shown) => hashShown(shown).slice(0, 8);

  let key: string;
  beforeAll(async () => {
    const init = await cli(['init', '--passphrase-only'], 'admin', undefined, false);
    expect(init.code, init.err).toBe(0);
    await json(['iam', 'create-group', '--group-name', 'custodians']);
    for (const user of ['carol', 'dave', 'erin']) {
      await json(['iam', 'create-user', '--user-name', user]);
      await json(['iam', 'create-login-profile', '--user-name', user], 'admin', { STRONGROOM_NEW_PASSPHRASE: envOf(user).STRONGROOM_PASSPHRASE });
      await json(['iam', 'add-user-to-group', '--group-name', 'custodians', '--user-name', user]);
    }
    key = (await json(['create-key', '--description', 'guarded'])).KeyMetadata.KeyId;
    const rules = JSON.stringify([{ Actions: ['kms:ScheduleKeyDeletion', 'kms:UpdateKeyDescription'], GroupName: 'custodians', MinApprovals: 2 }]);
    await json(['approval', 'put-rules', '--rules', rules]);
  }, 180_000);

  test('its help says how it asks', async () => {
    const r = await cli(['approval', 'approve', 'help'], 'admin', undefined, false);
    expect(r.code).toBe(0);
    expect(r.out).toContain('AT A TERMINAL');
    expect(r.out).toMatch(/type the first 8 characters of the\s+RequestHash/);
  });

  test('shows the request, then approves the hash it showed when the approver types its first 8 characters', async () => {
    const id = await held(['schedule-key-deletion', '--key-id', key, '--pending-window-in-days', '7']);
    const stored = await show(id);

    const r = await cli(['approval', 'approve', '--request-id', id], 'carol', typesPrefix);
    expect(r.code, r.err).toBe(0);
    expect(r.asked).toHaveLength(1);
    const shown = r.asked[0]!;
    expect(shown).toContain(`Approval request ${id}`);
    expect(shown).toMatch(/^ {2}Operation +ScheduleKeyDeletion \(kms:ScheduleKeyDeletion\), in region local-1$/m);
    expect(shown).toMatch(/^ {2}Requester +arn:strongroom:iam::\d{12}:user\/admin$/m);
    expect(shown).toMatch(/^ {2}Status +Pending$/m);
    expect(shown).toMatch(/^ {2}Needs +2 approvals from group custodians \(0 so far\)$/m);
    expect(shown).toMatch(/^ {2}Decisions +none yet$/m);
    expect(shown.split('\n')).toContain(`  Expires      ${stored.ExpirationDate}`);
    // the exact stored input, as JSON
    const at = ' '.repeat(17);
    expect(shown).toContain(`  Input        exactly as it will run:\n${at}{\n${at}    "KeyId": "${key}",\n${at}    "PendingWindowInDays": 7\n${at}}\n`);
    expect(hashShown(shown)).toBe(stored.RequestHash);
    expect(shown).toMatch(/Approve this request\? Type the first 8 characters of its RequestHash to approve it \(anything else approves nothing\): $/);
    // the question shows the hash once, in the request: the approver types it from there
    expect(shown.split(stored.RequestHash.slice(0, 8))).toHaveLength(2);

    const approved = JSON.parse(r.out).Request;
    expect(approved).toMatchObject({ RequestId: id, Status: 'Pending', Requirements: [{ GroupName: 'custodians', MinApprovals: 2, Approvals: 1 }] });
    expect((await show(id)).Decisions).toEqual([expect.objectContaining({ UserName: 'carol', Decision: 'Approve' })]);

    // the next approver sees carol's approval, and typing the whole hash (in capitals) is the same confirmation
    const second = await cli(['approval', 'approve', '--request-id', id], 'dave', (s) => hashShown(s).toUpperCase());
    expect(second.code, second.err).toBe(0);
    expect(second.asked[0]).toMatch(/^ {2}Needs +2 approvals from group custodians \(1 so far\)$/m);
    expect(second.asked[0]).toMatch(/^ {2}Decisions +carol approved at \d{4}-\d\d-\d\dT/m);
    expect(JSON.parse(second.out).Request.Status).toBe('Approved');
    expect(await json(['approval', 'execute', '--request-id', id])).toMatchObject({ KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
  }, 120_000);

  test('anything but the hash approves nothing: "yes", another part of the hash, too few characters, Ctrl-C', async () => {
    const other = (await json(['create-key'])).KeyMetadata.KeyId as string;
    const id = await held(['schedule-key-deletion', '--key-id', other]);
    const answers: [string, Answer][] = [
      ['yes', () => 'yes'],
      ['the next 8 characters', (s) => hashShown(s).slice(8, 16)],
      ['7 characters', (s) => hashShown(s).slice(0, 7)],
      ['nothing', () => ''],
    ];
    for (const [what, answer] of answers) {
      const r = await cli(['approval', 'approve', '--request-id', id], 'erin', answer);
      expect(r.code, what).toBe(254);
      expect(r.asked, what).toHaveLength(1);
      expect(r.out, what).toBe('');
      expect(r.err, what).toContain(
        `An error occurred (ValidationException) when calling the ApproveRequest operation: What you typed is not the first 8 characters of the RequestHash of approval request ${id}; nothing was approved.`,
      );
    }
    const interrupted = await cli(['approval', 'approve', '--request-id', id], 'erin', () => {
      throw new InterruptedError('interrupted');
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.out).toBe('');

    const after = await show(id);
    expect(after).toMatchObject({ Status: 'Pending', Decisions: [], Requirements: [{ Approvals: 0 }] });
    const trail = await json(['audit', 'lookup-events', '--event-name', 'ApproveRequest']);
    expect(trail.Events.filter((e: { Username: string }) => e.Username === 'erin')).toEqual([]);
    // the request was shown each time: GetApprovalRequest is in the trail, once per question
    const reads = await json(['audit', 'lookup-events', '--event-name', 'GetApprovalRequest']);
    expect(reads.Events.filter((e: { Username: string }) => e.Username === 'erin')).toHaveLength(answers.length + 1);
  }, 120_000);

  test('not at a terminal, --request-hash stays required; with it, nobody is asked', async () => {
    const other = (await json(['create-key'])).KeyMetadata.KeyId as string;
    const id = await held(['schedule-key-deletion', '--key-id', other]);
    const script = await cli(['approval', 'approve', '--request-id', id], 'carol', typesPrefix, false);
    expect(script.code).toBe(252);
    expect(script.err).toContain('strongroom: error: the following arguments are required: --request-hash');
    expect(script.asked).toEqual([]);

    const hash = (await show(id)).RequestHash as string;
    const given = await cli(['approval', 'approve', '--request-id', id, '--request-hash', hash], 'carol', typesPrefix);
    expect(given.code, given.err).toBe(0);
    expect(given.asked).toEqual([]);
    expect((await show(id)).Decisions).toEqual([expect.objectContaining({ UserName: 'carol', Decision: 'Approve' })]);
  }, 120_000);

  test("what the requester typed cannot repaint the approver's terminal", async () => {
    const description = 'rotate\u001b[2J\u001b[Hharmless\u202eevil\u009b31m\u2028end';
    const id = await held(['update-key-description', '--key-id', key, '--description', description]);
    const r = await cli(['approval', 'approve', '--request-id', id], 'carol', () => 'no');
    expect(r.code).toBe(254);
    const shown = r.asked[0]!;
    expect(shown).toContain('"Description": "rotate\\u001b[2J\\u001b[Hharmless\\u202eevil\\u009b31m\\u2028end"');
    expect(shown).not.toMatch(/[\u001b\u202e\u009b\u2028]/);
  }, 120_000);

  test('the built binary at a real terminal: shows, asks, echoes, approves', async () => {
    const other = (await json(['create-key'])).KeyMetadata.KeyId as string;
    const id = await held(['schedule-key-deletion', '--key-id', other]);
    const hash = (await show(id)).RequestHash as string;
    const r = await underTerminal(['approval', 'approve', '--request-id', id], envOf('dave'), `${hash.slice(0, 8)}\r`);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`Approval request ${id}`);
    expect(r.output).toContain(`RequestHash  ${hash}`);
    // echoed as typed, then the response
    expect(r.output).toContain(`(anything else approves nothing): ${hash.slice(0, 8)}`);
    expect(r.output).toMatch(/"Status": "Pending"/);
    expect((await show(id)).Decisions).toEqual([expect.objectContaining({ UserName: 'dave', Decision: 'Approve' })]);
  }, 120_000);
});

/**
 * Runs the built binary under a pseudo-terminal (`script` from util-linux),
 * its controlling terminal and standard input, typing `typed` once the
 * question is on the screen; resolves to its exit code and everything the
 * terminal showed.
 */
function underTerminal(args: string[], env: Record<string, string | undefined>, typed: string): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return new Promise((done, fail) => {
    const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], { env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    let output = '';
    let sent = false;
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString('utf8');
      if (!sent && output.includes('(anything else approves nothing): ')) {
        sent = true;
        child.stdin.write(typed);
      }
    });
    child.stderr.on('data', (b: Buffer) => (output += b.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}
