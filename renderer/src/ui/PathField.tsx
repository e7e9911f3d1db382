// A path the app reads or writes, typed or chosen in the desktop's own
// dialog (ChooseFiles: the sandboxed page cannot see paths, the dialog
// can), the button beside the input. A relative path is in the user's home
// folder (the dispatcher's cwd in main/app/main.ts). The button's name
// carries the field's label, so a form with several paths has buttons a
// screen reader tells apart.
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { FieldError, Input, Label, Text, TextField as AriaTextField } from 'react-aria-components';
import { run } from '../bridge.js';
import { Button } from './controls.js';
import { ErrorNote } from './ErrorNote.js';

/** What the dialog asks for: a file to read, a folder, or where to write a file (proposing defaultPath). */
export type PathDialog = { kind: 'file'; title: string } | { kind: 'folder'; title: string } | { kind: 'save'; title: string; defaultPath: string };

export interface PathFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  dialog: PathDialog;
  /** default: where a relative path is */
  description?: ReactNode;
  isRequired?: boolean;
  isDisabled?: boolean;
  errorMessage?: string | undefined;
}

const BUTTON_TEXT: Record<PathDialog['kind'], string> = { file: 'Choose file…', folder: 'Choose folder…', save: 'Save as…' };

const request = (d: PathDialog, value: string) =>
  d.kind === 'file'
    ? { Purpose: 'open' as const, Title: d.title }
    : d.kind === 'folder'
      ? { Purpose: 'open' as const, Directory: true, Title: d.title }
      : { Purpose: 'save' as const, Title: d.title, DefaultPath: value || d.defaultPath };

export function PathField({ label, value, onChange, dialog, description, isRequired = false, isDisabled = false, errorMessage }: PathFieldProps) {
  const choose = useMutation({
    mutationFn: () => run('ChooseFiles', request(dialog, value)),
    // a cancelled dialog chooses nothing and changes nothing
    onSuccess: ({ Paths }) => Paths[0] !== undefined && onChange(Paths[0]),
  });
  return (
    <AriaTextField value={value} onChange={onChange} isRequired={isRequired} isDisabled={isDisabled} isInvalid={errorMessage !== undefined} autoComplete="off" className="field path-field">
      <Label>{label}</Label>
      <span className="actions">
        <Input className="mono grow" />
        <Button onClick={() => choose.mutate()} disabled={isDisabled || choose.isPending}>
          {BUTTON_TEXT[dialog.kind]}
          <span className="visually-hidden"> ({label})</span>
        </Button>
      </span>
      <Text slot="description">{description ?? 'A relative path is in your home folder.'}</Text>
      <FieldError>{errorMessage}</FieldError>
      <ErrorNote error={choose.error} />
    </AriaTextField>
  );
}
