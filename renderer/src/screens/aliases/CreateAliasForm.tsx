// Creates an alias: its name checked by the contract's CreateAlias schema
// here and by the vault's alias rules there (InvalidAliasNameException,
// AlreadyExistsException come back as errors), its key picked from the
// region's keys (KeyPicker.tsx).
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import { CONTRACT, type InputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import type { KeyRow } from '../keys/key-list.js';
import { aliasTargets } from './alias-list.js';
import { KeyPicker } from './KeyPicker.js';

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
      <Controller
        name="TargetKeyId"
        control={form.control}
        render={({ field }) => <KeyPicker label="Target key" keys={targets} value={field.value} onChange={field.onChange} error={keyError ? 'Choose the key the alias names.' : undefined} />}
      />
      <Button type="submit" variant="primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create alias'}
      </Button>
      <ErrorNote error={create.error} />
    </form>
  );
}
