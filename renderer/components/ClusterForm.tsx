import { useState, type FormEvent } from 'react';
import type { DiscoveryPlacement, ErrorEnvelope } from '../../electron/contract/index.js';
import { useClustersStore } from '../store/clusters-slice.js';
import { emptyClusterForm, toDiscovery, validateClusterForm, type ClusterField, type ClusterFormValues } from '../validation/cluster-form.js';
import { useNavStore } from '../store/nav-slice.js';
import { suggestClusterName } from '../validation/suggestions.js';
import { Field } from './Field.js';
import { TalosSourceField } from './TalosSourceField.js';

/** Creates a cluster: its name, and where its discovery service runs; or one that joins an existing Talos cluster's mesh. */
export function ClusterForm() {
  const create = useClustersStore((s) => s.create);
  const clusters = useClustersStore((s) => s.clusters);
  const go = useNavStore((s) => s.go);
  const [created, setCreated] = useState<string | null>(null);
  const suggestion = suggestClusterName(clusters.map((c) => c.name));
  const createFromTalos = useClustersStore((s) => s.createFromTalos);
  const [talos, setTalos] = useState<string | null>(null);
  const [talosNotes, setTalosNotes] = useState<string[]>([]);
  const [values, setValues] = useState<ClusterFormValues>(emptyClusterForm);
  const [touched, setTouched] = useState<Partial<Record<ClusterField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<{ field: 'name' | 'talos'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const all = validateClusterForm(values);
  const local = talos === null ? all : all.name ? { name: all.name } : {};
  const talosMissing = talos !== null && !talos.trim();
  const talosError =
    serverError?.field === 'talos'
      ? serverError.text
      : submitted && talosMissing
        ? 'Talos file: choose or paste a secrets.yaml or a machine config'
        : undefined;
  const shown = (field: ClusterField) =>
    field === 'name' && serverError?.field === 'name' ? serverError.text : touched[field] || submitted ? local[field] : undefined;
  const change = (field: ClusterField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((t) => ({ ...t, [field]: true }));
    setServerError(null);
    setCreated(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(local).length || talosMissing) return;
    setBusy(true);
    let error: ErrorEnvelope | null;
    if (talos === null) error = await create(values.name, toDiscovery(values));
    else {
      const result = await createFromTalos(values.name, talos);
      error = result.ok ? null : result.error;
      setTalosNotes(result.ok ? result.value.warnings : []);
    }
    setBusy(false);
    const field = talos === null || error?.code === 'CLUSTER_EXISTS' ? 'name' : 'talos';
    const text = `${field === 'name' ? 'Cluster name' : 'Talos file'}: ${error?.message.replace(/^[a-z]+:[A-Za-z]+: /, '')}${error?.hint ? ` (${error.hint})` : ''}`;
    if (error) setServerError({ field, text });
    else {
      setCreated(values.name);
      setTalos(null);
      setValues(emptyClusterForm);
      setTouched({});
      setSubmitted(false);
    }
  };

  return (
    <form className="panel form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-cluster-title" data-testid="cluster-form">
      <h3 id="create-cluster-title">Create a cluster</h3>
      <div className="grid">
        <Field label="Cluster name" error={shown('name')} hint={`lowercase letters, digits and dashes${suggestion ? `, e.g. ${suggestion}` : ''}`}>
          <input
            value={values.name}
            onChange={(e) => change('name', e.target.value)}
            autoComplete="off"
            spellCheck={false}
            placeholder={suggestion ?? undefined}
          />
        </Field>
        <Field label="Join an existing Talos cluster" hint="its id, secret, discovery and KubeSpan settings come from its files">
          <input
            type="checkbox"
            checked={talos !== null}
            onChange={(e) => {
              setTalos(e.target.checked ? '' : null);
              setServerError(null);
            }}
          />
        </Field>
        {talos !== null && (
          <TalosSourceField
            value={talos}
            onChange={(text) => {
              setTalos(text);
              setServerError(null);
            }}
            error={talosError}
          />
        )}
        {talos === null && (
          <>
            <Field label="Discovery runs" error={shown('discoveryMode')}>
              <select value={values.discoveryMode} onChange={(e) => change('discoveryMode', e.target.value as DiscoveryPlacement['mode'])}>
                <option value="node">On a cluster node</option>
                <option value="embedded">In this app (LAN)</option>
                <option value="url">External service (URL)</option>
              </select>
            </Field>
            {values.discoveryMode === 'node' && (
              <Field label="Discovery node" error={shown('discoveryNode')} hint="empty: the first cloud node open on the port">
                <input value={values.discoveryNode} onChange={(e) => change('discoveryNode', e.target.value)} spellCheck={false} />
              </Field>
            )}
            {values.discoveryMode === 'node' && (
              <Field
                label="Discovery transport"
                error={shown('discoveryTransport')}
                hint="plain h2c lets anyone on the path change what nodes learn: only on a LAN you trust"
              >
                <select value={values.discoveryTransport} onChange={(e) => change('discoveryTransport', e.target.value)}>
                  <option value="tls">TLS, certificate from the cluster CA</option>
                  <option value="h2c">Plain h2c (trusted LAN only)</option>
                </select>
              </Field>
            )}
            {values.discoveryMode === 'embedded' && (
              <Field
                label="Address nodes reach this app at"
                error={shown('discoveryAddress')}
                hint="empty: learned from each node's SSH session and tested from the node; the app must stay open for nodes to find each other"
              >
                <input
                  value={values.discoveryAddress}
                  onChange={(e) => change('discoveryAddress', e.target.value)}
                  placeholder="learned per node"
                  spellCheck={false}
                />
              </Field>
            )}
            {values.discoveryMode !== 'url' ? (
              <Field label="Discovery port" error={shown('discoveryPort')}>
                <input value={values.discoveryPort} onChange={(e) => change('discoveryPort', e.target.value)} inputMode="numeric" />
              </Field>
            ) : (
              <Field label="Discovery URL" error={shown('discoveryUrl')}>
                <input
                  value={values.discoveryUrl}
                  onChange={(e) => change('discoveryUrl', e.target.value)}
                  placeholder="https://discovery.talos.dev"
                  spellCheck={false}
                />
              </Field>
            )}
          </>
        )}
      </div>
      {talosNotes.map((note) => (
        <p key={note} className="muted" role="status">
          ⚠ {note}
        </p>
      ))}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create cluster'}
        </button>
        {created && (
          <span role="status" className="ok" data-testid="cluster-next-step">
            ✓ Created {created}. Next:{' '}
            <button type="button" className="primary" onClick={() => go('machines')}>
              Add its machines
            </button>
          </span>
        )}
      </div>
    </form>
  );
}
