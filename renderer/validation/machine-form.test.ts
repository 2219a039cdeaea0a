import { describe, expect, it } from 'vitest';
import { emptyMachineForm, placeMachineErrors, toMachineInput, validateMachineForm, type MachineFormValues } from './machine-form.js';

const good: MachineFormValues = {
  ...emptyMachineForm,
  name: 'edge-1',
  host: ' 203.0.113.10 ',
  port: '2222',
  identityFile: '~/.ssh/id_ed25519',
  jump: 'ops@bastion.example.net:2200, root@10.0.0.1',
};

describe('machine form', () => {
  it('accepts a good machine and builds the request from it', () => {
    expect(validateMachineForm(good)).toEqual({});
    expect(toMachineInput(good)).toEqual({
      name: 'edge-1',
      ssh: { host: '203.0.113.10', port: 2222, user: 'root' },
      auth: { identityFile: '~/.ssh/id_ed25519' },
      jump: [
        { user: 'ops', host: 'bastion.example.net', port: 2200 },
        { user: 'root', host: '10.0.0.1', port: 22 },
      ],
      site: 'cloud',
      role: 'worker',
    });
    expect(validateMachineForm({ ...good, host: 'fd00::1', authKind: 'agent', identityFile: '', jump: '' })).toEqual({});
  });

  it('refuses bad fields with the schema messages', () => {
    const errors = validateMachineForm({ ...good, name: 'Edge 1', host: '', port: '70000', user: '1root' });
    expect(errors).toEqual({
      name: 'Name: use 1-63 lowercase letters, digits and dashes, starting and ending with a letter or digit',
      host: 'Host: enter a host name or IP address',
      port: 'Port: use a port from 1 to 65535',
      user: 'User: use a Unix user name such as root or ubuntu',
    });
    expect(validateMachineForm({ ...good, host: 'root@203.0.113.10' }).host).toBe(
      'Host: use a host name or an IP address (letters, digits, dots, colons, dashes)',
    );
    expect(validateMachineForm({ ...good, port: '2.5' }).port).toBe('Port: use a whole number from 1 to 65535');
  });

  it('names the jump hop the schema refuses, and refuses more hops than the schema allows', () => {
    expect(validateMachineForm({ ...good, jump: 'ops@bastion, ops@gw:99999' }).jump).toBe('Jump host: hop 2: use a port from 1 to 65535');
    expect(validateMachineForm({ ...good, jump: 'bastion' }).jump).toBe('Jump host: write it as user@host or user@host:port (got "bastion")');
    expect(validateMachineForm({ ...good, jump: 'a@h1,a@h2,a@h3,a@h4,a@h5' }).jump).toMatch(/^Jump host: .*4/);
  });

  it('asks for what the chosen way to sign in needs', () => {
    expect(validateMachineForm({ ...good, identityFile: '' }).identityFile).toBe('Key file: enter the path of a private key, e.g. ~/.ssh/id_ed25519');
    expect(validateMachineForm({ ...good, identityFile: '~/.ssh/id_ed25519.pub' }).identityFile).toBe('Key file: give the private key, not the .pub file');
    expect(validateMachineForm({ ...good, authKind: 'password' }).password).toBe('Password: enter the SSH password, or pick another way to sign in');
  });

  it('places the backend messages on the fields they name', () => {
    expect(placeMachineErrors('INVALID_REQUEST', 'machine:add: ssh.port: use a port from 1 to 65535; labels.x: too long')).toEqual({
      fields: { port: 'Port: use a port from 1 to 65535' },
      rest: 'labels.x: too long',
    });
    expect(placeMachineErrors('MACHINE_EXISTS', "machine 'edge-1' exists", 'pick another name').fields.name).toBe(
      "Name: machine 'edge-1' exists; pick another name",
    );
  });
});
