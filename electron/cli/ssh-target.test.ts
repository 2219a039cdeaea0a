import { describe, expect, it } from 'vitest';
import { parseSshTarget } from './ssh-target.js';

describe('parseSshTarget', () => {
  it('parses user, host and an optional port', () => {
    expect(parseSshTarget('root@198.18.0.10', 'ssh')).toEqual({ user: 'root', host: '198.18.0.10', port: 22 });
    expect(parseSshTarget('admin@edge-1.example:2222', 'ssh')).toEqual({ user: 'admin', host: 'edge-1.example', port: 2222 });
    expect(parseSshTarget('root@[fd00::1]:2200', 'jump')).toEqual({ user: 'root', host: 'fd00::1', port: 2200 });
  });

  it('names the flag and the expected shape on bad input', () => {
    expect(() => parseSshTarget('198.18.0.10', 'ssh')).toThrow(/--ssh must look like USER@HOST/);
    expect(() => parseSshTarget('root@host:port', 'jump')).toThrow(/--jump must look like USER@HOST/);
  });
});
