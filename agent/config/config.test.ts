import { describe, expect, it } from 'vitest';
import { SpanwiseError } from '../shared/errors.js';
import { parseAgentConfig } from './load.js';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const base = `cluster:\n  id: test-cluster\n  secret: ${SECRET}\ndiscovery:\n  endpoints: [http://127.0.0.1:3000]\n`;

function errorOf(text: string): string {
  try {
    parseAgentConfig(text, 'agent.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(SpanwiseError);
    expect((error as SpanwiseError).code).toBe('CONFIG_INVALID');
    return (error as Error).message;
  }
  throw new Error('expected a validation error');
}

describe('agent config', () => {
  it('fills Talos defaults', () => {
    const config = parseAgentConfig(base);
    expect(config).toMatchObject({
      enabled: true,
      mtu: 1420,
      allowDownPeerBypass: false,
      harvestExtraEndpoints: false,
      timing: 'fast',
      stateDir: '/var/lib/spanwise',
    });
    expect(config.filters).toEqual({ endpoints: [], excludeAdvertisedNetworks: [] });
  });

  it('accepts the KubeSpanConfig fields', () => {
    const config = parseAgentConfig(
      `${base}mtu: 1380\nadvertiseKubernetesNetworks: true\nfilters:\n  endpoints: ['0.0.0.0/0', '!10.0.0.0/8', '::/0']\n  excludeAdvertisedNetworks: [10.96.0.0/12]\nextraAnnouncedEndpoints: ['203.0.113.1:51821', '[2001:db8::1]:51820']\npodCIDRs: [10.244.1.0/24]\n`,
    );
    expect(config.filters.endpoints).toHaveLength(3);
    expect(config.extraAnnouncedEndpoints).toHaveLength(2);
  });

  it('rejects an MTU below 1280, naming the field and the fix', () => {
    expect(errorOf(`${base}mtu: 1000\n`)).toMatch(/^agent\.yaml: mtu: must be at least 1280 .*1420/);
  });

  it('rejects a bad CIDR with its path', () => {
    expect(errorOf(`${base}filters:\n  excludeAdvertisedNetworks: [10.0.0.0/33]\n`)).toMatch(
      /filters\.excludeAdvertisedNetworks\[0\]: '10\.0\.0\.0\/33' is not a CIDR/,
    );
    expect(errorOf(`${base}podCIDRs: [nope]\n`)).toMatch(/podCIDRs\[0\]/);
    expect(errorOf(`${base}filters:\n  endpoints: ['!x']\n`)).toMatch(/filters\.endpoints\[0\]: '!x' is not an IP or CIDR/);
  });

  it('rejects a secret that is not 32 bytes of base64, without echoing it', () => {
    const short = Buffer.alloc(16, 1).toString('base64');
    const message = errorOf(base.replace(SECRET, short));
    expect(message).toMatch(/cluster\.secret: must be 32 random bytes in base64/);
    expect(message).not.toContain(short);
  });

  it('rejects an API listen address that is not HOST:PORT', () => {
    const api = (listen: string) =>
      `${base}api:\n  listen: '${listen}'\n  ca: /etc/spanwise/ca.pem\n  cert: /etc/spanwise/api.pem\n  key: /etc/spanwise/api.key\n`;
    expect(errorOf(api('50000'))).toMatch(/api\.listen: '50000' is not HOST:PORT/);
    expect(errorOf(api('0.0.0.0:99999'))).toMatch(/api\.listen/);
    expect(parseAgentConfig(api('[::]:50000')).api?.listen).toBe('[::]:50000');
  });

  it('rejects unknown keys, naming them', () => {
    expect(errorOf(`${base}allowDownPeerBypas: true\n`)).toMatch(/allowDownPeerBypas: unknown key/);
    expect(errorOf(`${base}filters:\n  endpoint: []\n`)).toMatch(/filters\.endpoint: unknown key/);
  });

  it('reports missing required sections and bad YAML', () => {
    expect(errorOf('mtu: 1420\n')).toMatch(/cluster: is required/);
    const wrongTypes = errorOf('cluster:\n  id: 5\n  secret: [1]\ndiscovery:\n  endpoints: 7\n');
    expect(wrongTypes).toMatch(/cluster\.id: Invalid input: expected string, received number/);
    expect(wrongTypes).toMatch(/discovery\.endpoints: Invalid input: expected array, received number/);
    expect(wrongTypes).not.toMatch(/is required/);
    expect(errorOf('mtu: [\n')).toMatch(/not valid YAML/);
    expect(errorOf(base.replace('http://127.0.0.1:3000', 'ftp://x'))).toMatch(/discovery\.endpoints\[0\]: 'ftp:\/\/x' is not a discovery URL/);
  });

  it('lists every problem at once', () => {
    expect(errorOf(`${base}mtu: 1\ntiming: slow\n`).split('\n')).toHaveLength(2);
  });
  it('takes relays of three distinct nodes, one per pair, and names the field of a bad one', () => {
    const relays = (list: string) => `${base}relays:\n${list}`;
    expect(parseAgentConfig(relays('  - { between: [edge1, edge2], via: cloud1 }\n')).relays).toEqual([{ between: ['edge1', 'edge2'], via: 'cloud1' }]);
    expect(errorOf(relays('  - { between: [edge1, edge2], via: edge2 }\n'))).toMatch(/relays\[0\].*three different nodes/);
    expect(errorOf(relays('  - { between: [edge1, edge2], via: cloud1 }\n  - { between: [edge2, edge1], via: cloud2 }\n'))).toMatch(/relays.*one relay only/);
    expect(errorOf(relays('  - { between: [edge1], via: cloud1 }\n'))).toMatch(/relays\[0\]\.between/);
    expect(errorOf(relays('  - { between: [edge1, "a b"], via: cloud1 }\n'))).toMatch(/not a node name/);
  });
});
