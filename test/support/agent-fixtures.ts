import { parseAgentConfig } from '../../agent/config/load.js';
import type { AgentConfig } from '../../agent/config/schema.js';
import type { IdentityPersistence } from '../../agent/controllers/identity.js';
import { generateWireGuardKeyPair } from '../../agent/shared/wireguard-keys.js';
import type { DiscoveredAffiliate, HostNetwork } from '../../agent/resources/kinds.js';
import type { IdentityFile } from '../../agent/system/identity-files.js';

/** A config for tests and benchmarks (no files, fixed secret). */
export function testConfig(extra = ''): AgentConfig {
  const secret = Buffer.alloc(32, 7).toString('base64');
  return parseAgentConfig(
    `cluster:\n  id: 8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=\n  secret: ${secret}\ndiscovery:\n  endpoints: [http://127.0.0.1:3000]\n${extra}`,
  );
}

/** A host with one physical NIC (the facts' test MAC) and a public and a private address. */
export const testHost: HostNetwork = {
  links: [
    { name: 'lo', physical: false, up: true, mtu: 65536, addresses: ['127.0.0.1/8'] },
    { name: 'eth0', mac: '2e:1a:b6:53:81:69', physical: true, up: true, mtu: 1500, addresses: ['10.0.0.5/24', '2001:db8::5/64'] },
  ],
  defaultRouteLinks: ['eth0'],
};

/** Identity persistence in memory. */
export function memoryPersistence(): IdentityPersistence & { saved: IdentityFile[] } {
  const pair = generateWireGuardKeyPair();
  let file: IdentityFile = { ...pair };
  const saved: IdentityFile[] = [];
  return {
    saved,
    load: async () => file,
    save: async (f) => {
      file = f;
      saved.push(f);
    },
    nodeId: async () => 'localNodeId',
  };
}

/** A synthetic member n with a valid public key, a node address, a pod CIDR and two endpoints. */
export function syntheticAffiliate(n: number): { id: string; spec: DiscoveredAffiliate; publicKey: string } {
  const publicKey = Buffer.alloc(32, 0)
    .fill(n & 0xff, 0, 1)
    .fill((n >> 8) & 0xff, 1, 2)
    .fill(0xab, 2)
    .toString('base64');
  const a = (n >> 8) & 0xff;
  const b = n & 0xff;
  return {
    id: `node-${String(n).padStart(5, '0')}`,
    publicKey,
    spec: {
      info: {
        nodeId: `node-${String(n).padStart(5, '0')}`,
        addresses: [`172.16.${a}.${b}`],
        hostname: `h${n}`,
        nodename: `h${n}`,
        machineType: 'worker',
        operatingSystem: 'Linux',
        kubespan: {
          publicKey,
          address: `fd7f:175a:b97c:5602::${n.toString(16)}`,
          additionalAddresses: [`10.${100 + a}.${b}.0/24`],
          excludeAdvertisedAddresses: [],
        },
      },
      endpoints: [`198.18.${a}.${b}:51820`, `172.16.${a}.${b}:51820`],
      sources: ['http://127.0.0.1:3000'],
    },
  };
}
