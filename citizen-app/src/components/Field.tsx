import type { HTMLInputTypeAttribute, ReactNode } from 'react';

/*
 * Native form controls rather than Ionic's input, textarea, toggle: those three weigh 18 KB of
 * Brotli in the first download, and a phone on 2G waits for every one of them before any screen.
 */

interface TextFieldProps {
  label: string;
  /** The label is read by screen readers only (the placeholder says it on screen). */
  labelHidden?: boolean;
  value: string;
  onChange(value: string): void;
  multiline?: boolean;
  rows?: number;
  placeholder?: string;
  maxLength?: number;
  required?: boolean;
  type?: HTMLInputTypeAttribute;
  inputMode?: 'text' | 'tel' | 'email' | 'numeric';
  autoComplete?: string;
  testId?: string;
}

/** A labelled text box, one line or several (growing with its text). */
export function TextField({ label, labelHidden, value, onChange, multiline, rows = 3, testId, ...native }: TextFieldProps) {
  return (
    <label className="field" data-testid={testId}>
      <span className={labelHidden ? 'visually-hidden' : 'field-label'}>{label}</span>
      {multiline ? (
        <textarea {...native} rows={rows} value={value} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...native} value={value} onChange={(event) => onChange(event.target.value)} />
      )}
    </label>
  );
}

/** An on/off choice, the whole row tappable. */
export function Switch({ checked, onChange, children, testId }: { checked: boolean; onChange(checked: boolean): void; children: ReactNode; testId?: string }) {
  return (
    <label className="switch" data-testid={testId}>
      <span>{children}</span>
      <input type="checkbox" role="switch" checked={checked} onChange={(event) => onChange(event.target.checked)} />
    </label>
  );
}
