import { useState, type FormEvent } from 'react';
import type { MachineRole, SiteKind } from '../../electron/contract/index.js';
import { useMachinesStore } from '../store/machines-slice.js';
import {
  emptyMachineForm,
  placeMachineErrors,
  toMachineInput,
  validateMachineForm,
  type AuthKind,
  type FieldErrors,
  type MachineField,
  type MachineFormValues,
} from '../validation/machine-form.js';
import { Field } from './Field.js';

/**
 * The add-machine form: checks fields as you type (after a field is first
 * left, or on submit), then sends `machine:add`; the backend's own messages
 * (e.g. a key file that does not exist) land on the field they name.
 */
export function MachineForm() {
  const add = useMachinesStore((s) => s.add);
  const [values, setValues] = useState<MachineFormValues>(emptyMachineForm);
  const [touched, setTouched] = useState<Partial<Record<MachineField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors<MachineField>>({});
  const [serverRest, setServerRest] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const local = validateMachineForm(values);
  const shown = (field: MachineField) => serverErrors[field] ?? (touched[field] || submitted ? local[field] : undefined);

  const change = <F extends MachineField>(field: F, value: MachineFormValues[F]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((t) => ({ ...t, [field]: true }));
    setServerErrors((e) => ({ ...e, [field]: undefined }));
    setSaved(null);
  };
  const text = (field: MachineField) => ({
    value: values[field] as string,
    onChange: (e: { target: { value: string } }) => change(field, e.target.value),
    onBlur: () => setTouched((t) => ({ ...t, [field]: true })),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setServerRest(null);
    if (Object.keys(local).length) return;
    setSaving(true);
    const error = await add(toMachineInput(values));
    setSaving(false);
    if (!error) {
      setSaved(values.name);
      setValues({ ...emptyMachineForm, user: values.user, site: values.site, role: values.role, authKind: values.authKind, identityFile: values.identityFile });
      setTouched({});
      setSubmitted(false);
      return;
    }
    const placed = placeMachineErrors(error.code, error.message, error.hint);
    setServerErrors(placed.fields);
    setServerRest(placed.rest ? `${placed.rest}${error.hint ? ` (${error.hint})` : ''}` : null);
  };

  return (
    <form className="panel form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-machine-title" data-testid="machine-form">
      <h3 id="add-machine-title">Add a machine</h3>
      <div className="grid">
        <Field label="Name" error={shown('name')} hint="its node name in the mesh">
          <input {...text('name')} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Host" error={shown('host')}>
          <input {...text('host')} autoComplete="off" spellCheck={false} placeholder="203.0.113.10" />
        </Field>
        <Field label="Port" error={shown('port')}>
          <input {...text('port')} inputMode="numeric" />
        </Field>
        <Field label="User" error={shown('user')}>
          <input {...text('user')} autoComplete="off" />
        </Field>
        <Field label="Sign in with" error={shown('authKind')}>
          <select value={values.authKind} onChange={(e) => change('authKind', e.target.value as AuthKind)}>
            <option value="key">Key file</option>
            <option value="password">Password</option>
            <option value="agent">SSH agent</option>
          </select>
        </Field>
        {values.authKind === 'key' && (
          <>
            <Field label="Key file" error={shown('identityFile')}>
              <input {...text('identityFile')} placeholder="~/.ssh/id_ed25519" spellCheck={false} />
            </Field>
            <Field label="Passphrase" error={shown('passphrase')} hint="only if the key has one">
              <input {...text('passphrase')} type="password" autoComplete="off" />
            </Field>
          </>
        )}
        {values.authKind === 'password' && (
          <Field label="Password" error={shown('password')}>
            <input {...text('password')} type="password" autoComplete="off" />
          </Field>
        )}
        <Field label="Jump host" error={shown('jump')} hint="optional: user@bastion[:port], comma-separated">
          <input {...text('jump')} spellCheck={false} />
        </Field>
        <Field label="Site" error={shown('site')}>
          <select value={values.site} onChange={(e) => change('site', e.target.value as SiteKind)}>
            <option value="cloud">Cloud</option>
            <option value="datacenter">Datacenter</option>
            <option value="edge">Edge</option>
          </select>
        </Field>
        <Field label="Role" error={shown('role')}>
          <select value={values.role} onChange={(e) => change('role', e.target.value as MachineRole)}>
            <option value="worker">Worker</option>
            <option value="controlplane">Control plane</option>
          </select>
        </Field>
      </div>
      {serverRest && (
        <p className="field-error" role="alert">
          {serverRest}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Adding…' : 'Add machine'}
        </button>
        {submitted && Object.keys(local).length > 0 && (
          <span className="field-error">
            Correct the {Object.keys(local).length === 1 ? 'field' : `${Object.keys(local).length} fields`} marked above; nothing was saved.
          </span>
        )}
        {saved && (
          <span role="status" className="ok">
            ✓ Added {saved}
          </span>
        )}
      </div>
    </form>
  );
}
