import { describe, expect, it } from 'vitest';
import { emptyClusterForm, toDiscovery, validateClusterForm } from './cluster-form.js';

const nameMessage = 'use 1-63 lowercase letters, digits and dashes, starting and ending with a letter or digit';

describe('cluster form', () => {
  it('accepts a good cluster with each discovery placement', () => {
    const form = { ...emptyClusterForm, name: 'prod-1' };
    expect(validateClusterForm(form)).toEqual({});
    expect(toDiscovery(form)).toEqual({ mode: 'node', port: 3000 });
    expect(validateClusterForm({ ...form, discoveryMode: 'embedded', discoveryAddress: ' fd00::10 ' })).toEqual({});
    expect(toDiscovery({ ...form, discoveryMode: 'embedded', discoveryAddress: ' fd00::10 ' })).toEqual({ mode: 'embedded', port: 3000, address: 'fd00::10' });
    expect(validateClusterForm({ ...form, discoveryMode: 'url', discoveryUrl: 'https://discovery.talos.dev' })).toEqual({});
  });

  it('refuses bad names with the schema message', () => {
    for (const name of ['', 'Prod', '-prod', 'prod-', 'a'.repeat(64), 'prod_1'])
      expect(validateClusterForm({ ...emptyClusterForm, name }).name).toBe(`Cluster name: ${nameMessage}`);
    expect(validateClusterForm({ ...emptyClusterForm, name: 'ok', discoveryNode: 'Edge 1' }).discoveryNode).toBe(`Discovery node: ${nameMessage}`);
  });

  it('refuses ports out of range and addresses that are neither IP nor DNS name', () => {
    const form = { ...emptyClusterForm, name: 'prod' };
    expect(validateClusterForm({ ...form, discoveryPort: '70000' }).discoveryPort).toMatch(/^Discovery port: .*65535/);
    expect(validateClusterForm({ ...form, discoveryPort: '0' }).discoveryPort).toMatch(/^Discovery port: .*1/);
    expect(validateClusterForm({ ...form, discoveryPort: 'http' }).discoveryPort).toBe('Discovery port: use a whole number from 1 to 65535');
    expect(validateClusterForm({ ...form, discoveryMode: 'embedded', discoveryAddress: 'desk top' }).discoveryAddress).toBe(
      'Address nodes reach this app at: use an IP address or a DNS name',
    );
    expect(validateClusterForm({ ...form, discoveryMode: 'url', discoveryUrl: 'discovery' }).discoveryUrl).toMatch(/^Discovery URL: use https:\/\/host/);
  });
});
