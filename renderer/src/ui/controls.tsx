// The renderer's form controls and buttons, styled in styles.css. Screens
// use these, so every field has a label and every error is announced. Text
// fields are React Aria Components (label, description and error wired to
// the input by ARIA). Buttons are native <button>s: React Aria's press
// handling writes a style attribute while a button is held, which the CSP
// (no inline styles) refuses, and a native button is already accessible.
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { FieldError, Input, Label, Text, TextField as AriaTextField } from 'react-aria-components';

export function Button({ variant = 'secondary', className, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' }) {
  return <button type="button" {...props} className={`button button-${variant}${className ? ` ${className}` : ''}`} />;
}

export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  description?: ReactNode;
  type?: 'text' | 'password';
  autoComplete?: string;
  autoFocus?: boolean;
  isRequired?: boolean;
  isDisabled?: boolean;
  errorMessage?: string | undefined;
  name?: string;
}

export function TextField({ label, description, errorMessage, type = 'text', autoComplete = 'off', ...props }: TextFieldProps) {
  return (
    <AriaTextField {...props} type={type} autoComplete={autoComplete} isInvalid={errorMessage !== undefined} className="field">
      <Label>{label}</Label>
      <Input />
      {description && <Text slot="description">{description}</Text>}
      <FieldError>{errorMessage}</FieldError>
    </AriaTextField>
  );
}
