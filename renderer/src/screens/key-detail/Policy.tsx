// The key policy: its key administrators and key users as a form (the
// tenant's users, from the access matrix, with a box for each role), and the
// whole policy as JSON in CodeMirror. Both edit one draft; saving it
// (confirmed) runs PutKeyPolicy, whose checks — the policy grammar and the
// lockout safety check — answer with MalformedPolicyDocumentException and a
// sentence, shown as is. JSON that does not parse is caught here first.
import { useMutation, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import type { Access, Matrix } from './access.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { rolesOf, withRoles, type Roles } from './policy-roles.js';
import { keyQueryKey, useKeyChanged } from './queries.js';

// CodeMirror is loaded when a policy is first shown, in a chunk of its own (most screens never need it)
const PolicyEditor = lazy(() => import('./PolicyEditor.js').then((m) => ({ default: m.PolicyEditor })));

function parseError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function Policy({ keyId, access, matrix }: { keyId: string; access: Access; matrix: Matrix | undefined }) {
  const changed = useKeyChanged(keyId);
  const policy = useQuery({ queryKey: keyQueryKey(keyId, 'policy'), queryFn: () => run('GetKeyPolicy', { KeyId: keyId }), enabled: access.known });
  const [draft, setDraft] = useState<string | undefined>();
  // what the editor starts from: the saved policy, or the draft the form just rewrote
  const [seed, setSeed] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const save = useMutation({
    mutationFn: (text: string) => run('PutKeyPolicy', { KeyId: keyId, Policy: text }),
    onSuccess: async () => {
      setConfirming(false);
      setDraft(undefined);
      setSeed(undefined);
      await changed();
    },
  });

  if (!access.known) {
    return (
      <section aria-labelledby="key-policy" className="panel">
        <h2 id="key-policy">Key policy</h2>
        <p className="hint">You may not read this key’s policy (kms:GetKeyPolicy).</p>
      </section>
    );
  }
  if (policy.isPending || policy.error) {
    return (
      <section aria-labelledby="key-policy" className="panel">
        <h2 id="key-policy">Key policy</h2>
        {policy.isPending ? <p role="status">Loading the key policy…</p> : <ErrorNote error={policy.error} />}
      </section>
    );
  }

  const saved = policy.data.Policy;
  const current = draft ?? saved;
  const jsonError = parseError(current);
  const roles: Roles | undefined = jsonError ? undefined : rolesOf(current);
  const mayPut = access.may('kms:PutKeyPolicy');
  const setRole = (role: keyof Roles, arn: string, on: boolean) => {
    if (!roles) return;
    const list = roles[role] ?? [];
    const next = { administrators: roles.administrators ?? [], users: roles.users ?? [], [role]: on ? [...list, arn] : list.filter((a) => a !== arn) };
    const text = withRoles(current, next);
    setDraft(text);
    setSeed(text);
    save.reset();
  };

  return (
    <section aria-labelledby="key-policy" className="panel">
      <h2 id="key-policy">Key policy</h2>
      <h3>Key administrators and key users</h3>
      {!roles ? (
        <p className="hint">Fix the JSON below to edit the roles here.</p>
      ) : (
        <table aria-label="Key roles">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Key administrator</th>
              <th scope="col">Key user</th>
            </tr>
          </thead>
          <tbody>
            {(matrix?.Principals ?? []).map((p) => (
              <tr key={p.Principal}>
                <th scope="row">{p.UserName}</th>
                {(['administrators', 'users'] as const).map((role) => (
                  <td key={role}>
                    <input
                      type="checkbox"
                      aria-label={`${p.UserName} is a key ${role === 'administrators' ? 'administrator' : 'user'}`}
                      checked={roles[role]?.includes(p.Principal) ?? false}
                      disabled={!mayPut || roles[role] === null}
                      onChange={(e) => setRole(role, p.Principal, e.target.checked)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {roles && (roles.administrators === null || roles.users === null) && (
        <p className="hint">
          This policy has no {roles.administrators === null ? '“Allow access for Key Administrators”' : '“Allow use of the key”'} statement, so that role is edited in the JSON.
        </p>
      )}
      <h3 id="policy-json-title">Policy JSON</h3>
      <Suspense fallback={<p role="status">Loading the editor…</p>}>
        <PolicyEditor initial={seed ?? saved} label="Key policy JSON" onChange={(text) => (setDraft(text), save.reset())} />
      </Suspense>
      {jsonError && (
        <p className="error" role="alert">
          The policy is not valid JSON: {jsonError}
        </p>
      )}
      <ErrorNote error={save.error && !confirming ? save.error : undefined} />
      {mayPut && (
        <div className="actions">
          <Button variant="primary" disabled={draft === undefined || draft === saved || jsonError !== undefined} onClick={() => setConfirming(true)}>
            Save key policy
          </Button>
          <Button
            disabled={draft === undefined}
            onClick={() => {
              setDraft(undefined);
              setSeed(undefined);
              save.reset();
            }}
          >
            Discard changes
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title="Replace the key policy?"
        confirmLabel="Save key policy"
        pending={save.isPending}
        error={save.error}
        onCancel={() => setConfirming(false)}
        onConfirm={() => save.mutate(current)}
      >
        <p>The new policy decides at once who may manage and use this key. Strongroom refuses a policy that would keep you from changing it again.</p>
      </ConfirmDialog>
    </section>
  );
}
