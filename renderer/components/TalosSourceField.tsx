import { useState } from 'react';
import { Field } from './Field.js';

/** Props of {@link TalosSourceField}. */
export interface TalosSourceFieldProps {
  /** The file's text, as read or pasted; it goes to the backend as is. */
  value: string;
  onChange(text: string): void;
  error?: string | undefined;
}

/**
 * A Talos `secrets.yaml` or machine config for the create-cluster form: picked as a file (its
 * text, which holds the cluster secret, is not shown), or pasted.
 */
export function TalosSourceField({ value, onChange, error }: TalosSourceFieldProps) {
  const [picked, setPicked] = useState<string | null>(null);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    onChange(await file.text());
    setPicked(`${file.name} (${file.size} bytes)`);
  };
  return (
    <>
      <Field label="Talos file" hint="the secrets.yaml from talosctl gen secrets, or a controlplane or worker machine config">
        <input type="file" accept=".yaml,.yml,text/yaml" onChange={(e) => void pick(e.target.files?.[0])} />
      </Field>
      {picked ? (
        <Field label="Using" error={error}>
          <output>{picked}</output>
        </Field>
      ) : (
        <Field label="Or paste it" error={error}>
          <textarea value={value} onChange={(e) => onChange(e.target.value)} rows={6} spellCheck={false} autoComplete="off" placeholder="cluster: …" />
        </Field>
      )}
    </>
  );
}
