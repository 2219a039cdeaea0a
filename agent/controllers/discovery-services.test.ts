import { describe, expect, it } from 'vitest';
import { discoveryServices } from './manager.js';

describe('the discovery endpoints reached over the underlay', () => {
  it('takes those given by address, with the scheme default port, once each, and leaves names to the mesh', () => {
    expect(
      discoveryServices([
        'https://198.18.1.10:3000',
        'https://198.18.1.10:3000/',
        'https://[fd00::1]',
        'http://10.0.0.7:3000',
        'https://discovery.example.org',
      ]),
    ).toEqual([
      { address: '198.18.1.10', port: 3000 },
      { address: 'fd00::1', port: 443 },
      { address: '10.0.0.7', port: 3000 },
    ]);
  });
});
