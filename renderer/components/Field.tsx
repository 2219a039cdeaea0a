import { useId, type ReactElement, cloneElement } from 'react';

/** Props of {@link Field}. */
export interface FieldProps {
  label: string;
  /** The message for this field (names the field and the fix), shown under it. */
  error?: string | undefined;
  hint?: string;
  /** One input, select or textarea; it gets the id and the ARIA links. */
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
}

/** A labelled form control with its inline message. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? messageId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  const control = cloneElement(children, { id, 'aria-invalid': error ? true : undefined, ...(describedBy ? { 'aria-describedby': describedBy } : {}) });
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      {hint && !error && (
        <small id={hintId} className="field-hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={messageId} className="field-error" role="alert">
          <span aria-hidden="true">✕ </span>
          {error}
        </small>
      )}
    </div>
  );
}
