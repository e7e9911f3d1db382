// Creates an alias: its name checked by the contract's CreateAlias schema
// here and by the vault's alias rules there (InvalidAliasNameException,
// AlreadyExistsException come back as errors), its key picked from the
// region's keys.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import { CONTRACT, type InputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import type { KeyRow } from '../keys/key-list.js';
import { aliasTargets, keyLabel } from './alias-list.js';

type Input = InputOf<'CreateAlias'>;

export function CreateAliasForm({ keys }: { keys: readonly KeyRow[] }) {
  const queries = useQueryClient();
  const form = useForm<Input>({ resolver: zodResolver(CONTRACT.CreateAlias.input), defaultValues: { AliasName: 'alias/', TargetKeyId: '' } });
  const create = useMutation({
    mutationFn: (input: Input) => run('CreateAlias', input),
    onSuccess: async () => {
      form.reset();
      await Promise.all([queries.invalidateQueries({ queryKey: ['aliases'] }), queries.invalidateQueries({ queryKey: ['keys'] })]);
    },
  });
  const targets = aliasTargets(keys);
  const keyError = form.formState.errors.TargetKeyId;

  return (
    <form className="alias-create" onSubmit={form.handleSubmit((input) => create.mutate(input))} aria-labelledby="create-alias-title" noValidate>
      <h2 id="create-alias-title">Create an alias</h2>
      <Controller
        name="AliasName"
        control={form.control}
        render={({ field, fieldState }) => (
          <TextField
            label="Alias name"
            description="alias/ then letters, digits, / _ or -; not alias/aws/."
            value={field.value}
            onChange={field.onChange}
            name={field.name}
            isRequired
            errorMessage={fieldState.error?.message}
          />
        )}
      />
      <div className="field">
        <label htmlFor="alias-target-key">Target key</label>
        <select id="alias-target-key" {...form.register('TargetKeyId')} aria-invalid={keyError ? true : undefined} aria-describedby={keyError ? 'target-key-error' : undefined}>
          <option value="">Choose a key…</option>
          {targets.map((k) => (
            <option key={k.KeyId} value={k.KeyId}>
              {keyLabel(k)}
            </option>
          ))}
        </select>
        {keyError && (
          <span id="target-key-error" className="error">
            Choose the key the alias names.
          </span>
        )}
      </div>
      <Button type="submit" variant="primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create alias'}
      </Button>
      <ErrorNote error={create.error} />
    </form>
  );
}
