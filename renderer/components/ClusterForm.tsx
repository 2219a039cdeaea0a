import { useState, type FormEvent } from 'react';
import type { DiscoveryPlacement } from '../../electron/contract/index.js';
import { useClustersStore } from '../store/clusters-slice.js';
import { emptyClusterForm, toDiscovery, validateClusterForm, type ClusterField, type ClusterFormValues } from '../validation/cluster-form.js';
import { Field } from './Field.js';

/** Creates a cluster: its name, and where its discovery service runs. */
export function ClusterForm() {
  const create = useClustersStore((s) => s.create);
  const [values, setValues] = useState<ClusterFormValues>(emptyClusterForm);
  const [touched, setTouched] = useState<Partial<Record<ClusterField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const local = validateClusterForm(values);
  const shown = (field: ClusterField) => (field === 'name' && serverError ? serverError : touched[field] || submitted ? local[field] : undefined);
  const change = (field: ClusterField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((t) => ({ ...t, [field]: true }));
    setServerError(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(local).length) return;
    setBusy(true);
    const error = await create(values.name, toDiscovery(values));
    setBusy(false);
    if (error) setServerError(`Cluster name: ${error.message.replace(/^[a-z]+:[A-Za-z]+: /, '')}${error.hint ? ` (${error.hint})` : ''}`);
    else {
      setValues(emptyClusterForm);
      setTouched({});
      setSubmitted(false);
    }
  };

  return (
    <form className="panel form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-cluster-title" data-testid="cluster-form">
      <h3 id="create-cluster-title">Create a cluster</h3>
      <div className="grid">
        <Field label="Cluster name" error={shown('name')} hint="lowercase letters, digits and dashes">
          <input value={values.name} onChange={(e) => change('name', e.target.value)} autoComplete="off" spellCheck={false} />
        </Field>
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
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create cluster'}
        </button>
      </div>
    </form>
  );
}
