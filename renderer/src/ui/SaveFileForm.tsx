// Where the app writes a file for the user (ExportAuditTrail, SavePublicKey):
// a path field with the desktop's save dialog beside it (ChooseFiles,
// Purpose save: the page cannot see paths, the dialog can). The path can
// also be typed, and a relative one is in the user's home folder (the
// dispatcher's cwd in main/app/main.ts). The app writes the file
// atomically; this form only says where.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { run } from '../bridge.js';
import { problem } from '../screens/users/check.js';
import { Button, TextField } from './controls.js';
import { ErrorNote } from './ErrorNote.js';

export interface SaveFileFormProps {
  /** the path field's label */
  label: string;
  /** the name proposed, here and in the dialog */
  defaultPath: string;
  /** the dialog's title */
  dialogTitle: string;
  /** the contract's schema of the path member (its rules, not a copy) */
  pathSchema: z.ZodType;
  submitLabel: string;
  pending: boolean;
  onSave: (path: string) => void;
}

export function SaveFileForm({ label, defaultPath, dialogTitle, pathSchema, submitLabel, pending, onSave }: SaveFileFormProps) {
  const [path, setPath] = useState(defaultPath);
  const pathProblem = problem(pathSchema, path);
  const choose = useMutation({
    mutationFn: () => run('ChooseFiles', { Purpose: 'save', Title: dialogTitle, DefaultPath: path || defaultPath }),
    // a cancelled dialog chooses nothing and changes nothing
    onSuccess: ({ Paths }) => Paths[0] !== undefined && setPath(Paths[0]),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path && !pathProblem) onSave(path);
  };
  return (
    <form className="save-file" onSubmit={submit}>
      <div className="row">
        <TextField label={label} description="A relative path is in your home folder." value={path} onChange={setPath} isRequired errorMessage={pathProblem} />
        <Button onClick={() => choose.mutate()} disabled={choose.isPending}>
          Choose…
        </Button>
        <Button type="submit" disabled={pending || !path || pathProblem !== undefined}>
          {pending ? 'Saving…' : submitLabel}
        </Button>
      </div>
      <ErrorNote error={choose.error} />
    </form>
  );
}
