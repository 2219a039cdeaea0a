import { describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../agent/config/schema.js';
import { cidrSchema, discoveryUrlSchema, endpointFilterSchema } from './fields.js';

const addresses = [
  '10.0.0.1',
  '255.255.255.255',
  '256.1.1.1',
  '01.2.3.4',
  '1.2.3',
  '1.2.3.4.5',
  '0.0.0.0',
  '::',
  ':::',
  '::1',
  '1::',
  'fd00::',
  'fd00::1:2',
  'FE80::ABCD',
  '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7::',
  '::2:3:4:5:6:7:8',
  '1::2::3',
  ':1::',
  '1::2:',
  '12345::',
  'g::1',
  '::ffff:1.2.3.4',
  '::1.2.3.4',
  '1.2.3.4::',
  '1:2:3:4:5:6:1.2.3.4',
  '1:2:3:4:5:6:7:1.2.3.4',
  '::ffff:01.2.3.4',
  'fe80::1%eth0',
  '[::1]',
  '',
  ' 10.0.0.1',
  'example.com',
];
const suffixes = ['', '/0', '/8', '/32', '/33', '/64', '/128', '/129', '/', '/x', '/1/2', '/0008'];
const inputs = addresses.flatMap((a) => suffixes.flatMap((s) => [a + s, `!${a}${s}`]));

const base = { cluster: { id: 'c', secret: Buffer.alloc(32).toString('base64') }, discovery: { endpoints: ['http://127.0.0.1:3000'] } };
const agentAccepts = (patch: object) => agentConfigSchema.safeParse({ ...base, ...patch }).success;

describe('network field schemas', () => {
  it('accept exactly what the agent config accepts as a CIDR', () => {
    const differ = inputs.filter((s) => cidrSchema.safeParse(s).success !== agentAccepts({ filters: { excludeAdvertisedNetworks: [s] } }));
    expect(differ).toEqual([]);
    expect(cidrSchema.safeParse('fd00::/64').success).toBe(true);
  });

  it('accept exactly what the agent config accepts as an endpoint filter', () => {
    const differ = inputs.filter((s) => endpointFilterSchema.safeParse(s).success !== agentAccepts({ filters: { endpoints: [s] } }));
    expect(differ).toEqual([]);
  });

  it('refuse :::/64 with the message the agent gives', () => {
    const result = cidrSchema.safeParse(':::/64');
    expect(result.error?.issues[0]?.message).toBe("':::/64' is not a CIDR (expected e.g. 10.244.0.0/16 or fd00::/64)");
  });

  it('accept exactly what the agent config accepts as a discovery URL', () => {
    const urls = [
      'https://discovery.talos.dev',
      'https://discovery.talos.dev/',
      'http://10.0.0.1:3000',
      'http://[fd00::1]:3000',
      'https://[::1]',
      'ftp://x',
      'https://a b',
      'https://x/path',
      'discovery.talos.dev:443',
      'https://x:123456',
    ];
    const differ = urls.filter((s) => discoveryUrlSchema.safeParse(s).success !== agentAccepts({ discovery: { endpoints: [s] } }));
    expect(differ).toEqual([]);
  });
});
