import { describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

describe('spanwise-agent identity derive', () => {
  it('prints subnet and address for the facts vector', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(['identity', 'derive', '--cluster-id', '8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=', '--mac', '2e:1a:b6:53:81:69', '-o', 'json']);
    const printed = String(out.mock.calls[0]?.[0]);
    out.mockRestore();
    expect(code).toBe(0);
    expect(JSON.parse(printed)).toEqual({ subnet: 'fd7f:175a:b97c:5602::/64', address: 'fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169' });
  });

  it('rejects a bad MAC as usage', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main(['identity', 'derive', '--cluster-id', 'x', '--mac', 'nope']);
    const printed = String(err.mock.calls[0]?.[0]);
    err.mockRestore();
    expect(code).toBe(2);
    expect(printed).toMatch(/--mac: 'nope' is not a MAC/);
  });
});
