// Quorum approvals on the user's path: the built `strongroom` binary, one
// process per command, each user signing in with their own passphrase. An
// administrator sets the rules; a guarded command fails (exit 254) naming
// its approval request and how to follow it up; custodians review it
// (`approval show`) and approve its RequestHash; the requester executes it
// once; refusals are AWS-style errors; changing the rules needs the quorum.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

describe('strongroom approval', () => {
  const ws = new Workspace();
  const as = (user: string) => ({ STRONGROOM_USER: user, STRONGROOM_PASSPHRASE: `${user} passphrase` });
  /** runs a command as `user` (default admin) expecting exit 0, and parses its JSON output */
  async function json(args: string[], user?: string): Promise<any> {
    const r = await ws.run(args, user ? as(user) : {});
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout.trim() ? JSON.parse(r.stdout) : {};
  }
  /** runs a command expecting exit 254 with this AWS error for this operation; returns stderr */
  async function fails(args: string[], error: string, operation: string, user?: string): Promise<string> {
    const r = await ws.run(args, user ? as(user) : {});
    expect(r.code, r.stdout).toBe(254);
    expect(r.stderr).toContain(`An error occurred (${error}) when calling the ${operation} operation: `);
    return r.stderr;
  }
  /** a guarded command: its request id, from the error */
  async function held(args: string[], operation: string): Promise<string> {
    const stderr = await fails(args, 'ApprovalRequiredException', operation);
    const id = /approval request ([0-9a-f-]{36}) holds this call/.exec(stderr)?.[1];
    expect(id, stderr).toBeDefined();
    expect(stderr).toContain(`strongroom approval approve --request-id ${id} --request-hash <RequestHash>`);
    expect(stderr).toContain(`Approvers, at a terminal: strongroom approval approve --request-id ${id} (shows the request, then asks for its RequestHash)`);
    expect(stderr).toContain(`strongroom approval execute --request-id ${id}`);
    return id!;
  }
  const hashOf = async (id: string, user: string) => {
    const r = await ws.run(['approval', 'show', '--request-id', id, '--query', 'Request.RequestHash', '--output', 'text'], as(user));
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.trim();
  };

  let key: string;
  beforeAll(async () => {
    expect((await ws.run(['init', '--passphrase-only'])).code).toBe(0);
    await json(['iam', 'create-group', '--group-name', 'custodians']);
    for (const user of ['carol', 'dave']) {
      await json(['iam', 'create-user', '--user-name', user]);
      expect((await ws.run(['iam', 'create-login-profile', '--user-name', user], { STRONGROOM_NEW_PASSPHRASE: `${user} passphrase` })).code).toBe(0);
      await json(['iam', 'add-user-to-group', '--group-name', 'custodians', '--user-name', user]);
    }
    key = (await json(['create-key', '--description', 'guarded'])).KeyMetadata.KeyId;
    const rules = JSON.stringify([{ Actions: ['kms:ScheduleKeyDeletion'], GroupName: 'custodians', MinApprovals: 2 }]);
    expect(await json(['approval', 'put-rules', '--rules', rules])).toEqual({});
  }, 120_000);
  afterAll(() => ws.remove());

  test('the commands are there, under `approval`', async () => {
    const help = await ws.run(['help']);
    for (const c of ['approval list', 'approval show', 'approval approve', 'approval reject', 'approval execute', 'approval get-rules', 'approval put-rules']) expect(help.stdout).toContain(c);
    const approveHelp = await ws.run(['approval', 'approve', 'help']);
    expect(approveHelp.stdout).toMatch(/--request-id \(string\)/);
    expect(approveHelp.stdout).toMatch(/--request-hash \(string\)/);
    expect((await json(['approval', 'get-rules'])).Rules).toEqual([{ Actions: ['kms:ScheduleKeyDeletion'], GroupName: 'custodians', MinApprovals: 2 }]);
  }, 60_000);

  test('held, reviewed, approved by two custodians with their own passphrases, executed once by the requester', async () => {
    const id = await held(['schedule-key-deletion', '--key-id', key, '--pending-window-in-days', '7'], 'ScheduleKeyDeletion');
    expect((await json(['describe-key', '--key-id', key])).KeyMetadata.KeyState).toBe('Enabled');

    const listed = await json(['approval', 'list'], 'carol');
    expect(listed.Requests).toEqual([expect.objectContaining({ RequestId: id, Operation: 'ScheduleKeyDeletion', Status: 'Pending' })]);
    const shown = (await json(['approval', 'show', '--request-id', id], 'carol')).Request;
    expect(shown).toMatchObject({ Input: { KeyId: key, PendingWindowInDays: 7 }, Requester: expect.stringMatching(/:user\/admin$/), Requirements: [{ GroupName: 'custodians', MinApprovals: 2, Approvals: 0 }] });
    const hash = await hashOf(id, 'carol');
    expect(hash).toBe(shown.RequestHash);
    // standard input is not a terminal here: a script must name the hash it approves (approval-review.test.ts asks at one)
    const unnamed = await ws.run(['approval', 'approve', '--request-id', id], as('carol'));
    expect(unnamed.code).toBe(252);
    expect(unnamed.stderr).toContain('strongroom: error: the following arguments are required: --request-hash');

    expect((await json(['approval', 'approve', '--request-id', id, '--request-hash', hash], 'carol')).Request.Status).toBe('Pending');
    expect(await fails(['approval', 'approve', '--request-id', id, '--request-hash', hash], 'AccessDeniedException', 'ApproveRequest')).toContain('a requester cannot approve their own');
    await fails(['approval', 'approve', '--request-id', id, '--request-hash', hash], 'AlreadyExistsException', 'ApproveRequest', 'carol');
    expect(await fails(['approval', 'execute', '--request-id', id], 'KMSInvalidStateException', 'ExecuteApprovalRequest')).toContain('1 of the 2 approvals');
    await fails(['approval', 'approve', '--request-id', id, '--request-hash', 'f'.repeat(64)], 'ValidationException', 'ApproveRequest', 'dave');
    expect((await json(['approval', 'approve', '--request-id', id, '--request-hash', hash], 'dave')).Request.Status).toBe('Approved');
    await fails(['approval', 'execute', '--request-id', id], 'AccessDeniedException', 'ExecuteApprovalRequest', 'dave');

    const out = await json(['approval', 'execute', '--request-id', id]);
    expect(out).toMatchObject({ KeyId: expect.stringContaining(key), KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect((await json(['describe-key', '--key-id', key])).KeyMetadata.KeyState).toBe('PendingDeletion');
    expect(await fails(['approval', 'execute', '--request-id', id], 'KMSInvalidStateException', 'ExecuteApprovalRequest')).toContain('was already executed');

    const trail = await json(['audit', 'lookup-events', '--event-name', 'ApproveRequest']);
    expect(trail.Events.map((e: { Username: string }) => e.Username).sort()).toEqual(['admin', 'carol', 'carol', 'dave', 'dave']);
  }, 180_000);

  test('a custodian rejects a request: it never runs', async () => {
    const other = (await json(['create-key'])).KeyMetadata.KeyId as string;
    const id = await held(['schedule-key-deletion', '--key-id', other], 'ScheduleKeyDeletion');
    expect((await json(['approval', 'reject', '--request-id', id], 'dave')).Request.Status).toBe('Rejected');
    await fails(['approval', 'approve', '--request-id', id, '--request-hash', await hashOf(id, 'carol')], 'KMSInvalidStateException', 'ApproveRequest', 'carol');
    await fails(['approval', 'execute', '--request-id', id], 'KMSInvalidStateException', 'ExecuteApprovalRequest');
    expect((await json(['approval', 'list', '--status', 'Rejected'])).Requests.map((r: { RequestId: string }) => r.RequestId)).toEqual([id]);
    expect((await json(['describe-key', '--key-id', other])).KeyMetadata.KeyState).toBe('Enabled');
  }, 120_000);

  test('changing the rules needs the quorum too', async () => {
    const id = await held(['approval', 'put-rules', '--rules', '[]'], 'PutApprovalRules');
    expect((await json(['approval', 'get-rules'])).Rules).toHaveLength(1);
    for (const user of ['carol', 'dave']) await json(['approval', 'approve', '--request-id', id, '--request-hash', await hashOf(id, user)], user);
    expect(await json(['approval', 'execute', '--request-id', id])).toEqual({});
    expect((await json(['approval', 'get-rules'])).Rules).toEqual([]);
    const free = (await json(['create-key'])).KeyMetadata.KeyId as string;
    expect((await json(['schedule-key-deletion', '--key-id', free])).KeyState).toBe('PendingDeletion');
  }, 120_000);
});
