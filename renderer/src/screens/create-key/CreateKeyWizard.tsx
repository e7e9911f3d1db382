// Create key (#/create-key): a wizard like the AWS console's. Key type,
// usage and spec (only the pairs the contract's table allows) and origin;
// alias, description and tags; key administrators; key users; then a review
// showing the exact key policy CreateKey will attach (the contract's own
// builder, main/api/default-key-policy.ts). Creating runs CreateKey, then
// CreateAlias when an alias was given, and opens the new key.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useFieldArray, useForm, type FieldPath } from 'react-hook-form';
import { useLocation } from 'wouter';
import { z } from 'zod';
import { defaultKeyPolicyJson } from '../../../../main/api/default-key-policy.js';
import { keyTypeOf, usagesOf } from '../../../../main/api/key-specs.js';
import { CONTRACT } from '../../../../main/api/index.js';
import { BridgeFailure, run } from '../../bridge.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { aliasNameOf, fitChoice, KEY_TYPES, specsFor, USAGE_LABELS, usagesFor } from './choices.js';
import { UserPicker } from './UserPicker.js';

const Create = CONTRACT.CreateKey.input.shape;

/** The wizard's form: the contract's own CreateKey and CreateAlias members, plus the console's key type. */
const WizardSchema = z
  .object({
    Type: z.enum(['symmetric', 'asymmetric', 'hmac']),
    KeyUsage: Create.KeyUsage.unwrap(),
    KeySpec: Create.KeySpec.unwrap(),
    Origin: Create.Origin.unwrap(),
    Alias: z.string().transform(aliasNameOf).pipe(z.union([z.literal(''), CONTRACT.CreateAlias.input.shape.AliasName])),
    Description: Create.Description.unwrap(),
    Tags: Create.Tags.unwrap(),
    KeyAdministrators: Create.KeyAdministrators.unwrap(),
    KeyUsers: Create.KeyUsers.unwrap(),
  })
  .refine((v) => keyTypeOf(v.KeySpec) === v.Type && usagesOf(v.KeySpec).includes(v.KeyUsage), {
    message: 'Choose a key spec that allows the key usage.',
    path: ['KeySpec'],
  });
type WizardInput = z.input<typeof WizardSchema>;
type WizardOutput = z.output<typeof WizardSchema>;

const STEPS: readonly { title: string; fields: readonly FieldPath<WizardInput>[] }[] = [
  { title: 'Key type and usage', fields: ['Type', 'KeyUsage', 'KeySpec', 'Origin'] },
  { title: 'Alias, description and tags', fields: ['Alias', 'Description', 'Tags'] },
  { title: 'Key administrators', fields: ['KeyAdministrators'] },
  { title: 'Key users', fields: ['KeyUsers'] },
  { title: 'Review', fields: [] },
];

const DEFAULTS: WizardInput = {
  Type: 'symmetric',
  KeyUsage: 'ENCRYPT_DECRYPT',
  KeySpec: 'SYMMETRIC_DEFAULT',
  Origin: 'AWS_KMS',
  Alias: '',
  Description: '',
  Tags: [],
  KeyAdministrators: [],
  KeyUsers: [],
};

export function CreateKeyWizard() {
  const { session } = useSession();
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const [step, setStep] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useForm<WizardInput, unknown, WizardOutput>({ resolver: zodResolver(WizardSchema), defaultValues: DEFAULTS, mode: 'onTouched' });
  const { register, watch, setValue, trigger, handleSubmit, formState } = form;
  const tags = useFieldArray({ control: form.control, name: 'Tags' });
  const users = useQuery({ queryKey: ['users'], queryFn: () => run('ListUsers', {}) });
  const values = watch();

  useEffect(() => heading.current?.focus(), [step]);

  const create = useMutation({
    mutationFn: async (v: WizardOutput) => {
      const tagList = v.Tags.filter((t) => t.TagKey !== '' || t.TagValue !== '');
      const { KeyMetadata } = await run('CreateKey', {
        KeySpec: v.KeySpec,
        KeyUsage: v.KeyUsage,
        Origin: v.Origin,
        ...(v.Description ? { Description: v.Description } : {}),
        ...(tagList.length ? { Tags: tagList } : {}),
        ...(v.KeyAdministrators.length ? { KeyAdministrators: v.KeyAdministrators } : {}),
        ...(v.KeyUsers.length ? { KeyUsers: v.KeyUsers } : {}),
      });
      try {
        if (v.Alias) await run('CreateAlias', { AliasName: v.Alias, TargetKeyId: KeyMetadata.KeyId });
      } catch (e) {
        // the key exists: say so, and that only the alias is missing
        throw new AliasFailed(KeyMetadata.KeyId, e);
      }
      return KeyMetadata.KeyId;
    },
    onSettled: () => Promise.all([queries.invalidateQueries({ queryKey: ['keys'] }), queries.invalidateQueries({ queryKey: ['aliases'] })]),
    onSuccess: (keyId) => navigate(`/keys/${keyId}`),
  });

  const fit = (type = values.Type, usage = values.KeyUsage, spec = values.KeySpec) => {
    const fitted = fitChoice(type, usage, spec);
    setValue('KeyUsage', fitted.KeyUsage);
    setValue('KeySpec', fitted.KeySpec);
  };

  const next = async () => {
    if (await trigger(STEPS[step]!.fields as FieldPath<WizardInput>[])) setStep((s) => Math.min(s + 1, STEPS.length - 1));
  };
  // Enter in a field goes to the next step; only the review step creates.
  const onSubmit = (e: FormEvent) => (step < STEPS.length - 1 ? (e.preventDefault(), void next()) : handleSubmit((v) => create.mutate(v))(e));

  const policy = defaultKeyPolicyJson(session.AccountId, {
    keyAdministrators: values.KeyAdministrators ?? [],
    keyUsers: values.KeyUsers ?? [],
    keyUsage: values.KeyUsage,
    keySpec: values.KeySpec,
  });
  const userName = (arn: string) => users.data?.Users.find((u) => u.Arn === arn)?.UserName ?? arn;
  const fieldError = (name: keyof WizardInput) => (formState.errors[name]?.message as string | undefined) ?? undefined;
  const alias = aliasNameOf(values.Alias ?? '');

  return (
    <section aria-labelledby="create-key-title" className="wizard">
      <header className="page-header">
        <h1 id="create-key-title">Create key</h1>
      </header>
      <ol className="wizard-steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s.title} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : undefined}>
            <span className="step-number">Step {i + 1}</span> {s.title}
          </li>
        ))}
      </ol>
      <form className="wizard-body" onSubmit={onSubmit} noValidate>
        <h2 ref={heading} tabIndex={-1}>
          {STEPS[step]!.title}
        </h2>

        {step === 0 && (
          <>
            <fieldset className="choices">
              <legend>Key type</legend>
              {KEY_TYPES.map((t) => (
                <label key={t.value}>
                  <input type="radio" value={t.value} {...register('Type', { onChange: (e) => fit(e.target.value) })} />
                  <span>
                    <strong>{t.label}</strong> {t.hint}
                  </span>
                </label>
              ))}
            </fieldset>
            <fieldset className="choices">
              <legend>Key usage</legend>
              {usagesFor(values.Type).map((u) => (
                <label key={u}>
                  <input type="radio" value={u} {...register('KeyUsage', { onChange: (e) => fit(values.Type, e.target.value) })} />
                  <span>{USAGE_LABELS[u]}</span>
                </label>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="key-spec">Key spec</label>
              <select id="key-spec" {...register('KeySpec')} aria-describedby="key-spec-error">
                {specsFor(values.Type, values.KeyUsage).map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
              <span id="key-spec-error" className="error">
                {fieldError('KeySpec')}
              </span>
            </div>
            <fieldset className="choices">
              <legend>Key material origin</legend>
              <label>
                <input type="radio" value="AWS_KMS" {...register('Origin')} />
                <span>
                  <strong>Generated in the vault</strong> (AWS_KMS). The material is made here and never leaves.
                </span>
              </label>
              <label>
                <input type="radio" value="EXTERNAL" {...register('Origin')} />
                <span>
                  <strong>External</strong> (import key material). The key waits in PendingImport until you import its material on the key's page.
                </span>
              </label>
            </fieldset>
          </>
        )}

        {step === 1 && (
          <>
            <div className="field">
              <label htmlFor="alias">Alias</label>
              <input id="alias" {...register('Alias')} aria-describedby="alias-hint alias-error" autoComplete="off" />
              <span id="alias-hint" className="hint">
                Optional. A name like payroll (alias/ is added); it can be changed later.
              </span>
              <span id="alias-error" className="error">
                {fieldError('Alias')}
              </span>
            </div>
            <div className="field">
              <label htmlFor="description">Description</label>
              <textarea id="description" rows={3} {...register('Description')} aria-describedby="description-error" />
              <span id="description-error" className="error">
                {fieldError('Description')}
              </span>
            </div>
            <fieldset className="rows">
              <legend>Tags</legend>
              {tags.fields.length === 0 && <p className="hint">No tags.</p>}
              {tags.fields.map((f, i) => (
                <div key={f.id} className="row">
                  <input aria-label={`Tag ${i + 1} key`} placeholder="Key" {...register(`Tags.${i}.TagKey`)} />
                  <input aria-label={`Tag ${i + 1} value`} placeholder="Value" {...register(`Tags.${i}.TagValue`)} />
                  <Button onClick={() => tags.remove(i)}>Remove tag {i + 1}</Button>
                </div>
              ))}
              <Button onClick={() => tags.append({ TagKey: '', TagValue: '' })}>Add tag</Button>
            </fieldset>
          </>
        )}

        {step === 2 && (
          <UserPicker
            users={users}
            legend="Users who administer this key"
            hint="Key administrators manage the key (enable, disable, policy, tags, deletion) but cannot use it."
            chosen={values.KeyAdministrators ?? []}
            onChange={(arns) => setValue('KeyAdministrators', arns)}
          />
        )}

        {step === 3 && (
          <UserPicker
            users={users}
            legend="Users who may use this key"
            hint="Key users may use the key for its usage, but not manage it."
            chosen={values.KeyUsers ?? []}
            onChange={(arns) => setValue('KeyUsers', arns)}
          />
        )}

        {step === 4 && (
          <>
            <dl className="review">
              <dt>Key type</dt>
              <dd>{KEY_TYPES.find((t) => t.value === values.Type)?.label}</dd>
              <dt>Key usage</dt>
              <dd>{USAGE_LABELS[values.KeyUsage]}</dd>
              <dt>Key spec</dt>
              <dd>{values.KeySpec}</dd>
              <dt>Origin</dt>
              <dd>{values.Origin}</dd>
              <dt>Alias</dt>
              <dd>{alias || '—'}</dd>
              <dt>Description</dt>
              <dd>{values.Description || '—'}</dd>
              <dt>Tags</dt>
              <dd>{values.Tags?.filter((t) => t.TagKey || t.TagValue).map((t) => `${t.TagKey}=${t.TagValue}`).join(', ') || '—'}</dd>
              <dt>Key administrators</dt>
              <dd>{values.KeyAdministrators?.map(userName).join(', ') || '—'}</dd>
              <dt>Key users</dt>
              <dd>{values.KeyUsers?.map(userName).join(', ') || '—'}</dd>
            </dl>
            <h3 id="policy-title">Key policy</h3>
            <p className="hint">Attached exactly as shown. You can change it on the key's page later.</p>
            <pre className="policy" tabIndex={0} aria-labelledby="policy-title" data-testid="key-policy">
              {policy}
            </pre>
          </>
        )}

        <ErrorNote error={create.error instanceof AliasFailed ? create.error.cause : create.error} />
        {create.error instanceof AliasFailed && (
          <p>
            The key {create.error.keyId} was created without its alias. <a href={`#/keys/${create.error.keyId}`}>Open the key</a>
          </p>
        )}
        <div className="wizard-actions">
          <Button onClick={() => navigate('/keys')}>Cancel</Button>
          {step > 0 && <Button onClick={() => setStep(step - 1)}>Previous</Button>}
          {/* distinct keys: were the Next button's element reused as the submit button, the click that
              reaches the review step would, by its default action, submit the form at once */}
          {step < STEPS.length - 1 ? (
            <Button key="next" variant="primary" onClick={() => void next()}>
              Next
            </Button>
          ) : (
            <Button key="create" type="submit" variant="primary" disabled={create.isPending || create.isSuccess}>
              {create.isPending ? 'Creating…' : 'Create key'}
            </Button>
          )}
        </div>
      </form>
    </section>
  );
}

/** The key was created but its alias was not: the error to show, and the key to open. */
class AliasFailed extends Error {
  constructor(
    readonly keyId: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = cause instanceof BridgeFailure ? cause.name : 'Error';
  }
}
