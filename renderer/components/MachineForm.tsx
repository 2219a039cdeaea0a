import { useState, type FormEvent } from 'react';
import type { MachineRole, MachineSummary, MachineTestResult, SiteKind } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';
import { useMachinesStore } from '../store/machines-slice.js';
import { formOf, storedSecretsOf, toMachinePatch } from '../validation/machine-edit.js';
import {
  emptyMachineForm,
  fieldLabels,
  fieldOfPath,
  placeMachineErrors,
  toMachineInput,
  validateMachineForm,
  type FieldErrors,
  type MachineField,
  type MachineFormValues,
} from '../validation/machine-form.js';
import { suggestMachineName } from '../validation/suggestions.js';
import { Field } from './Field.js';
import { SshTestResult } from './SshTestResult.js';

/** Props of {@link MachineForm}: the machine to edit (the form adds one without it), and what to do when the edit ends. */
export interface MachineFormProps {
  editing?: MachineSummary | null;
  onDone?(): void;
}

/**
 * The add and edit form: checks fields as you type (after a field is first left, or on submit),
 * then sends `machine:add` or `machine:update`; Test SSH sends `machine:test` with the form's
 * values. The backend's messages land on the field they name. A new machine starts from the
 * defaults; "Same as last" copies the last one's sign-in, site and role only when asked.
 */
export function MachineForm({ editing = null, onDone }: MachineFormProps) {
  const { machines, add, load } = useMachinesStore();
  const [values, setValues] = useState<MachineFormValues>(() => (editing ? formOf(editing) : emptyMachineForm));
  const [touched, setTouched] = useState<Partial<Record<MachineField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors<MachineField>>({});
  const [serverRest, setServerRest] = useState<string | null>(null);
  const [busy, setBusy] = useState<'saving' | 'testing' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [last, setLast] = useState<MachineFormValues | null>(null);
  const [test, setTest] = useState<MachineTestResult | null>(null);

  const stored = editing ? storedSecretsOf(editing) : undefined;
  const local = validateMachineForm(values, stored);
  const shown = (field: MachineField) => serverErrors[field] ?? (touched[field] || submitted ? local[field] : undefined);
  const suggestion = editing
    ? null
    : suggestMachineName(
        values.site,
        machines.map((m) => m.name),
      );
  const keep = (has: boolean | undefined) => (has ? 'unchanged unless you type a new one' : undefined);

  const change = <F extends MachineField>(field: F, value: MachineFormValues[F]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((t) => ({ ...t, [field]: true }));
    setServerErrors((e) => ({ ...e, [field]: undefined }));
    setSaved(null);
    setTest(null);
  };
  const text = (field: MachineField) => ({
    value: values[field] as string,
    onChange: (e: { target: { value: string } }) => change(field, e.target.value),
    onBlur: () => setTouched((t) => ({ ...t, [field]: true })),
  });
  const showError = (error: { code: string; message: string; hint?: string }) => {
    const placed = placeMachineErrors(error.code, error.message, error.hint);
    setServerErrors(placed.fields);
    setServerRest(placed.rest ? `${placed.rest}${error.hint ? ` (${error.hint})` : ''}` : null);
  };

  const runTest = async (acceptHostKey?: string) => {
    setSubmitted(true);
    if (Object.keys(local).length) return;
    setBusy('testing');
    const result = await getApi().invoke('machine:test', { name: values.name, set: toMachinePatch(values), ...(acceptHostKey ? { acceptHostKey } : {}) });
    setBusy(null);
    if (!result.ok) return showError(result.error);
    setTest(result.value);
    const field = result.value.error?.details?.field;
    const formField = typeof field === 'string' ? fieldOfPath(field.replace(/\[\d+\]$/, '')) : undefined;
    if (formField && result.value.error)
      setServerErrors({ [formField]: `${fieldLabels[formField]}: ${result.value.error.hint ?? result.value.error.message}` });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setServerRest(null);
    if (Object.keys(local).length) return;
    setBusy('saving');
    const result = editing ? await getApi().invoke('machine:update', { name: editing.name, set: toMachinePatch(values) }) : null;
    const error = editing ? (result && !result.ok ? result.error : null) : await add(toMachineInput(values));
    setBusy(null);
    if (error) return showError(error);
    if (editing) {
      await load();
      onDone?.();
      return;
    }
    setSaved(values.name);
    setLast(values);
    setValues(emptyMachineForm);
    setTouched({});
    setSubmitted(false);
    setTest(null);
  };

  const sameAsLast = () =>
    last &&
    setValues((v) => ({
      ...v,
      ...{ user: last.user, authKind: last.authKind, identityFile: last.identityFile, jump: last.jump, jumpAuthKind: last.jumpAuthKind },
      ...{ jumpIdentityFile: last.jumpIdentityFile, site: last.site, role: last.role },
    }));
  const title = editing ? `Edit ${editing.name}` : 'Add a machine';
  return (
    <form className="panel form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="machine-form-title" data-testid="machine-form">
      <h3 id="machine-form-title">{title}</h3>
      {last && !editing && (
        <p className="muted">
          New machines start from the defaults.{' '}
          <button type="button" onClick={sameAsLast} data-testid="same-as-last">
            Same sign-in, site and role as {last.name}
          </button>
        </p>
      )}
      <div className="grid">
        <Field label="Name" error={shown('name')} hint={suggestion ? `its node name in the mesh, e.g. ${suggestion}` : 'its node name in the mesh'}>
          <input {...text('name')} autoComplete="off" spellCheck={false} readOnly={editing !== null} placeholder={suggestion ?? undefined} />
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
          <AuthSelect value={values.authKind} onChange={(kind) => change('authKind', kind)} />
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
          <Field label="Password" error={shown('password')} {...(keep(stored?.hasPassword) ? { hint: keep(stored?.hasPassword) as string } : {})}>
            <input {...text('password')} type="password" autoComplete="off" />
          </Field>
        )}
        <Field label="Sudo password" error={shown('sudoSame')}>
          <label className="check">
            <input type="checkbox" checked={values.sudoSame} onChange={(e) => change('sudoSame', e.target.checked)} /> same as login
          </label>
        </Field>
        {!values.sudoSame && (
          <Field
            label="Sudo password of the user"
            error={shown('sudoPassword')}
            {...(keep(stored?.hasSudoPassword) ? { hint: keep(stored?.hasSudoPassword) as string } : {})}
          >
            <input {...text('sudoPassword')} type="password" autoComplete="off" />
          </Field>
        )}
        <Field label="Jump host" error={shown('jump')} hint="optional: user@bastion[:port], comma-separated">
          <input {...text('jump')} spellCheck={false} />
        </Field>
        {values.jump.trim() !== '' && (
          <Field label="Jump host signs in with" error={shown('jumpAuthKind')}>
            <AuthSelect value={values.jumpAuthKind} onChange={(kind) => change('jumpAuthKind', kind)} same />
          </Field>
        )}
        {values.jump.trim() !== '' && values.jumpAuthKind === 'key' && (
          <Field label="Jump host key file" error={shown('jumpIdentityFile')}>
            <input {...text('jumpIdentityFile')} placeholder="~/.ssh/bastion" spellCheck={false} />
          </Field>
        )}
        {values.jump.trim() !== '' && values.jumpAuthKind === 'password' && (
          <Field label="Jump host password" error={shown('jumpPassword')}>
            <input {...text('jumpPassword')} type="password" autoComplete="off" />
          </Field>
        )}
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
      {test && <SshTestResult result={test} onTrust={(fingerprint) => void runTest(fingerprint)} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy !== null}>
          {busy === 'saving' ? 'Saving…' : editing ? 'Save changes' : 'Add machine'}
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void runTest()} data-testid="test-ssh">
          {busy === 'testing' ? 'Testing…' : 'Test SSH'}
        </button>
        {editing && (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        )}
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

/** The sign-in select; `id` and the ARIA links come from its Field, so its label names it. */
function AuthSelect<K extends string>({
  value,
  onChange,
  same = false,
  ...aria
}: {
  value: K;
  onChange(kind: K): void;
  same?: boolean;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}) {
  return (
    <select {...aria} value={value} onChange={(e) => onChange(e.target.value as K)}>
      {same && <option value="same">Same as the machine</option>}
      <option value="key">Key file</option>
      <option value="password">Password</option>
      <option value="agent">SSH agent</option>
    </select>
  );
}
