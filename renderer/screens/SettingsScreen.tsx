import { useEffect, useState, type FormEvent } from 'react';
import { ErrorNote } from '../components/ErrorNote.js';
import { Field } from '../components/Field.js';
import { PushResults } from '../components/PushResults.js';
import { RelayList } from '../components/RelayList.js';
import { currentCluster, useClustersStore } from '../store/clusters-slice.js';
import { useSettingsStore } from '../store/settings-slice.js';
import { draftOf, fieldOfBackendError, settingsOf, validateSettings, type SettingsDraft } from '../validation/settings-form.js';
import { describeDiscovery } from './ClustersScreen.js';

/** The current cluster's mesh settings: checked as you type, saved, then applied to every onboarded agent. */
export function SettingsScreen() {
  const cluster = useClustersStore(currentCluster);
  const { view, error, saving, applied, load, save } = useSettingsStore();
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  useEffect(() => {
    void load();
  }, [load, cluster?.name]);
  useEffect(() => {
    if (view) setDraft(draftOf(view.settings));
  }, [view]);
  if (!cluster) return <p className="panel muted">No cluster selected.</p>;
  if (!draft || !view) return error ? <ErrorNote error={error} /> : <p aria-busy="true">Loading settings…</p>;

  const errors = validateSettings(draft);
  const backendField = error ? fieldOfBackendError(error.message) : null;
  const message = (field: keyof SettingsDraft) => errors[field] ?? (backendField === field ? error?.message : undefined);
  const set = <K extends keyof SettingsDraft>(field: K, value: SettingsDraft[K]) => setDraft({ ...draft, [field]: value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (Object.keys(errors).length === 0) await save(settingsOf(draft), true);
  };
  const toggle = (field: 'allowDownPeerBypass' | 'advertiseKubernetesNetworks' | 'harvestExtraEndpoints' | 'agentMetrics', label: string, hint: string) => (
    <label className="check">
      <input type="checkbox" checked={draft[field]} onChange={(e) => set(field, e.target.checked)} /> {label} <small className="field-hint">{hint}</small>
    </label>
  );

  return (
    <form className="panel form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="settings-title" data-testid="settings-form">
      <h2 id="settings-title">Settings of {cluster.name}</h2>
      <p className="muted">Discovery: {describeDiscovery(cluster.discovery)}. Saving rewrites every onboarded agent's config and restarts it.</p>
      <Field
        label="Mesh MTU"
        error={message('mtu')}
        hint={view.recommendedMtu ? `Recommended ${view.recommendedMtu}: ${view.recommendation}` : view.recommendation}
      >
        <input inputMode="numeric" value={draft.mtu} onChange={(e) => set('mtu', e.target.value)} />
      </Field>
      {view.recommendedMtu !== null && view.recommendedMtu < view.settings.mtu && (
        <p className="state-fragile" role="note" data-testid="mtu-above">
          ≈ The mesh MTU {view.settings.mtu} is above the recommended {view.recommendedMtu}: the pairs through that link are fragile until it is lowered.
        </p>
      )}
      {view.recommendedMtu !== null && String(view.recommendedMtu) !== draft.mtu && (
        <button type="button" onClick={() => set('mtu', String(view.recommendedMtu))}>
          Use {view.recommendedMtu}
        </button>
      )}
      {toggle('allowDownPeerBypass', 'Allow down peer bypass', 'off: traffic to a down peer is dropped in the tunnel rather than sent in clear')}
      {toggle('advertiseKubernetesNetworks', 'Advertise Kubernetes networks', 'route pod CIDRs through the mesh')}
      {toggle('harvestExtraEndpoints', 'Harvest extra endpoints', 'publish endpoints observed for up peers (load grows with the square of the nodes)')}
      {toggle('agentMetrics', 'Agent metrics on the mesh address', "Prometheus metrics on each node's KubeSpan address, port 9587; off: loopback only")}
      <Field
        label="Relays"
        hint="automatic: the agents relay a pair with no direct path through a Spanwise node, cloud first; manual: only the relays you apply"
      >
        <select value={draft.relayMode} onChange={(e) => set('relayMode', e.target.value === 'auto' ? 'auto' : 'manual')}>
          <option value="manual">manual</option>
          <option value="auto">automatic</option>
        </select>
      </Field>
      <RelayList settings={view.settings} busy={saving} onSave={(settings) => void save(settings, true)} />
      <Field
        label="Diagnose every (minutes)"
        error={message('diagnosisIntervalMinutes')}
        hint="while the app is open, and after onboarding; 0: only when you run it"
      >
        <input inputMode="numeric" value={draft.diagnosisIntervalMinutes} onChange={(e) => set('diagnosisIntervalMinutes', e.target.value)} />
      </Field>
      <Field label="Endpoint filters (one per line, in dial order)" error={message('endpointFilters')} hint="CIDR or IP to include; !CIDR to exclude">
        <textarea rows={3} value={draft.endpointFilters} onChange={(e) => set('endpointFilters', e.target.value)} />
      </Field>
      <Field label="Excluded networks (one CIDR per line)" error={message('excludeAdvertisedNetworks')}>
        <textarea rows={2} value={draft.excludeAdvertisedNetworks} onChange={(e) => set('excludeAdvertisedNetworks', e.target.value)} />
      </Field>
      <Field label="Extra discovery endpoints (one URL per line)" error={message('extraDiscoveryEndpoints')}>
        <textarea rows={2} value={draft.extraDiscoveryEndpoints} onChange={(e) => set('extraDiscoveryEndpoints', e.target.value)} />
      </Field>
      {error && !backendField && <ErrorNote error={error} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving || Object.keys(errors).length > 0}>
          {saving ? 'Applying…' : 'Save and apply'}
        </button>
      </div>
      {applied && applied.length === 0 && <p data-testid="settings-applied">Saved; no onboarded node to apply to.</p>}
      {applied && applied.length > 0 && <PushResults results={applied} testId="settings-applied" />}
    </form>
  );
}
