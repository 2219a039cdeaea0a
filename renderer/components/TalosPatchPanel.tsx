import { useCallback, useEffect, useState } from 'react';
import type { ErrorEnvelope, TalosPatch } from '../../electron/contract/index.js';
import { getApi } from '../api/client.js';
import { ErrorNote } from './ErrorNote.js';

/** The file name Save offers, the one the README's talosctl commands use. */
const PATCH_FILE = 'spanwise-patch.yaml';

function download(text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = PATCH_FILE;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * "Add Talos nodes": the Talos machine config patch that joins Talos nodes to the cluster's mesh.
 * The secret is shown only when asked for; Copy and Save always take the patch with it.
 */
export function TalosPatchPanel({ cluster }: { cluster: string }) {
  const [patch, setPatch] = useState<TalosPatch | null>(null);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const [done, setDone] = useState('');
  const fetchPatch = useCallback(
    async (showSecrets: boolean) => {
      const result = await getApi().invoke('cluster:talosPatch', { name: cluster, showSecrets });
      setError(result.ok ? null : result.error);
      return result.ok ? result.value : null;
    },
    [cluster],
  );
  const show = async (showSecrets: boolean) => setPatch(await fetchPatch(showSecrets));
  useEffect(() => {
    setDone('');
    void fetchPatch(false).then(setPatch);
  }, [fetchPatch]);

  const withSecret = async (use: (text: string) => Promise<void> | void, what: string) => {
    const full = patch?.secretShown ? patch : await fetchPatch(true);
    if (!full) return;
    try {
      await use(full.patch);
      setDone(what);
    } catch (cause) {
      setError({
        code: 'COPY_FAILED',
        message: `the patch could not be copied: ${(cause as Error).message}`,
        hint: 'use Save, or Show secret and select the text',
      });
    }
  };

  return (
    <section className="panel" aria-labelledby="talos-title" data-testid="talos-patch">
      <div className="panel-head">
        <h3 id="talos-title">Add Talos nodes</h3>
        <div className="buttons">
          <button type="button" onClick={() => void show(!patch?.secretShown)} disabled={!patch}>
            {patch?.secretShown ? 'Hide secret' : 'Show secret'}
          </button>
          <button type="button" onClick={() => void withSecret((text) => navigator.clipboard.writeText(text), 'Copied, with the cluster secret.')}>
            Copy
          </button>
          <button type="button" onClick={() => void withSecret(download, `Saved as ${PATCH_FILE}, with the cluster secret: keep it private.`)}>
            Save
          </button>
        </div>
      </div>
      <p className="muted">
        A machine config patch that puts Talos nodes in this cluster&apos;s mesh. Apply it with{' '}
        <code>talosctl patch mc --nodes NODE --patch @{PATCH_FILE}</code>, or give it to <code>talosctl gen config --config-patch @{PATCH_FILE}</code>. Copy and
        Save include the cluster secret.
      </p>
      {error && <ErrorNote error={error} testId="talos-patch-error" />}
      {done && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
      {patch?.warnings.map((w) => (
        <p key={w} className="muted">
          ⚠ {w}
        </p>
      ))}
      {patch && (
        <pre className="commands" aria-label="Talos machine config patch" data-testid="talos-patch-text">
          {patch.patch}
        </pre>
      )}
    </section>
  );
}
