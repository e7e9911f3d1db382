// The policies of one user or group: managed policies attached (attach,
// detach) and inline policies (edit as JSON, add, delete). The JSON is checked for
// syntax here, at once; what a policy may say is the service's check
// (MalformedPolicyDocumentException), shown as it answers.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { CONTRACT } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { problem } from './check.js';
import { ConfirmButton } from './ConfirmButton.js';

export type Principal = { kind: 'user'; name: string } | { kind: 'group'; name: string };

const who = (p: Principal) => (p.kind === 'user' ? { UserName: p.name } : { GroupName: p.name });
const POLICY_NAME = CONTRACT.PutUserPolicy.input.shape.PolicyName;
const NEW_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:DescribeKey'], Resource: '*' }] }, null, 2);

/** A JSON syntax problem as a sentence, or undefined. */
export function jsonProblem(text: string): string | undefined {
  if (text.trim() === '') return 'The policy is empty.';
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? undefined : 'A policy is a JSON object ({ "Version": …, "Statement": […] }).';
  } catch (e) {
    return `Not valid JSON: ${(e as Error).message}`;
  }
}

export function Policies({ principal }: { principal: Principal }) {
  const queries = useQueryClient();
  const key = ['principalPolicies', principal.kind, principal.name];
  const mine = useQuery({ queryKey: key, queryFn: () => run('ListPrincipalPolicies', who(principal)) });
  const managed = useQuery({ queryKey: ['managedPolicies'], queryFn: () => run('ListPolicies', {}) });
  const [chosen, setChosen] = useState('');
  const selectId = useId();
  const changed = () => queries.invalidateQueries({ queryKey: key });
  const attach = useMutation({
    mutationFn: (PolicyArn: string) =>
      principal.kind === 'user' ? run('AttachUserPolicy', { UserName: principal.name, PolicyArn }) : run('AttachGroupPolicy', { GroupName: principal.name, PolicyArn }),
    onSuccess: () => (setChosen(''), changed()),
  });
  const detach = useMutation({
    mutationFn: (PolicyArn: string) =>
      principal.kind === 'user' ? run('DetachUserPolicy', { UserName: principal.name, PolicyArn }) : run('DetachGroupPolicy', { GroupName: principal.name, PolicyArn }),
    onSuccess: changed,
  });

  const attached = new Set(mine.data?.AttachedPolicies.map((p) => p.PolicyArn));
  const nameOf = (arn: string) => managed.data?.Policies.find((p) => p.Arn === arn)?.PolicyName ?? arn;
  const attachable = managed.data?.Policies.filter((p) => !attached.has(p.Arn)) ?? [];

  return (
    <section className="panel" aria-labelledby={`${selectId}-title`}>
      <h2 id={`${selectId}-title`}>Policies</h2>
      <ErrorNote error={mine.error ?? managed.error} />
      {mine.isPending ? (
        <p role="status">Loading policies…</p>
      ) : mine.data ? (
        <>
          <h3>Managed policies</h3>
          {mine.data.AttachedPolicies.length === 0 ? (
            <p>No managed policy attached.</p>
          ) : (
            <ul className="plain" aria-label="Attached managed policies">
              {mine.data.AttachedPolicies.map((p) => (
                <li key={p.PolicyArn}>
                  <span title={p.PolicyArn}>{nameOf(p.PolicyArn)}</span>{' '}
                  <ConfirmButton
                    label={`Detach ${nameOf(p.PolicyArn)}`}
                    question={`Detach ${nameOf(p.PolicyArn)} from ${principal.name}? What it allowed stops at once.`}
                    onConfirm={() => detach.mutate(p.PolicyArn)}
                  />
                </li>
              ))}
            </ul>
          )}
          <div className="row">
            <label className="field" htmlFor={selectId}>
              Managed policy to attach
              <select id={selectId} value={chosen} onChange={(e) => setChosen(e.target.value)}>
                <option value="">Choose a policy…</option>
                {attachable.map((p) => (
                  <option key={p.Arn} value={p.Arn}>
                    {p.PolicyName}
                  </option>
                ))}
              </select>
            </label>
            <Button onClick={() => chosen && attach.mutate(chosen)} disabled={!chosen || attach.isPending}>
              Attach
            </Button>
          </div>
          <ErrorNote error={attach.error ?? detach.error} />
          <h3>Inline policies</h3>
          {mine.data.InlinePolicies.length === 0 && <p>No inline policy.</p>}
          {mine.data.InlinePolicies.map((p) => (
            <InlinePolicyEditor key={p.PolicyName} principal={principal} policyName={p.PolicyName} document={p.PolicyDocument} onSaved={changed} />
          ))}
          <InlinePolicyEditor principal={principal} document={NEW_POLICY} onSaved={changed} />
        </>
      ) : null}
    </section>
  );
}

/** One inline policy as JSON text, saved or deleted (a new one when policyName is not given). */
function InlinePolicyEditor({ principal, policyName, document, onSaved }: { principal: Principal; policyName?: string; document: string; /** after a save or a delete */ onSaved: () => void }) {
  const [name, setName] = useState(policyName ?? '');
  const [text, setText] = useState(() => pretty(document));
  const [saved, setSaved] = useState(false);
  const id = useId();
  const syntax = jsonProblem(text);
  const nameProblem = problem(POLICY_NAME, name);
  const save = useMutation({
    mutationFn: () =>
      principal.kind === 'user'
        ? run('PutUserPolicy', { UserName: principal.name, PolicyName: name, PolicyDocument: text })
        : run('PutGroupPolicy', { GroupName: principal.name, PolicyName: name, PolicyDocument: text }),
    onSuccess: () => {
      setSaved(true);
      onSaved();
      if (policyName) return;
      setName('');
      setText(pretty(document));
    },
  });
  const remove = useMutation({
    mutationFn: (PolicyName: string) =>
      principal.kind === 'user' ? run('DeleteUserPolicy', { UserName: principal.name, PolicyName }) : run('DeleteGroupPolicy', { GroupName: principal.name, PolicyName }),
    onSuccess: onSaved,
  });
  const title = policyName ? `Inline policy ${policyName}` : 'New inline policy';
  return (
    <form
      className="policy-editor"
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        if (syntax || !name || nameProblem) return;
        setSaved(false);
        save.mutate();
      }}
    >
      <h4>{title}</h4>
      {!policyName && <TextField label="Policy name" value={name} onChange={setName} isRequired errorMessage={nameProblem} />}
      <label htmlFor={id}>Policy document (JSON)</label>
      <textarea
        id={id}
        className="mono"
        rows={Math.min(20, text.split('\n').length + 1)}
        spellCheck={false}
        value={text}
        onChange={(e) => (setSaved(false), setText(e.target.value))}
        aria-invalid={syntax !== undefined}
        aria-describedby={syntax ? `${id}-problem` : undefined}
      />
      {syntax && (
        <p id={`${id}-problem`} className="error">
          {syntax}
        </p>
      )}
      <div className="row">
        <Button type="submit" variant="primary" disabled={syntax !== undefined || !name || save.isPending}>
          {policyName ? `Save ${policyName}` : 'Add inline policy'}
        </Button>
        {policyName && (
          <ConfirmButton
            label={`Delete ${policyName}`}
            question={`Delete the inline policy ${policyName} of ${principal.name}? What it allowed or denied stops at once.`}
            onConfirm={() => remove.mutate(policyName)}
          />
        )}
      </div>
      {saved && <p role="status">Saved.</p>}
      <ErrorNote error={save.error ?? remove.error} />
    </form>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
