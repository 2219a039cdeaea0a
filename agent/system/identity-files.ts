import { chmod, mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { SpanwiseError } from '../shared/errors.js';
import { newNodeId } from '../lib/node-id.js';
import { generateWireGuardKeyPair, isWireGuardKey, wireGuardPublicKey } from '../shared/wireguard-keys.js';

/** The persisted KubeSpan identity, `<state-dir>/kubespan-identity.yaml` (0600). Holds the private key. */
export interface IdentityFile {
  address?: string;
  subnet?: string;
  privateKey: string;
  publicKey: string;
}

export const IDENTITY_FILE = 'kubespan-identity.yaml';
export const NODE_ID_FILE = 'node-identity.yaml';

async function createExclusive(path: string, text: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readYamlRecord(path: string): Promise<Record<string, unknown>> {
  const parsed: unknown = parseYaml(await readFile(path, 'utf8'));
  if (!parsed || typeof parsed !== 'object')
    throw new SpanwiseError('IDENTITY_CORRUPT', `${path} is not a YAML mapping`, 'move it away to make a new identity (peers will see a new node)');
  return parsed as Record<string, unknown>;
}

async function tightenMode(path: string): Promise<void> {
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
}

/** Loads the identity, creating it once (exclusive create, 0600) when missing; checks the key pair. */
export async function loadOrCreateIdentity(stateDir: string): Promise<IdentityFile> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, IDENTITY_FILE);
  const pair = generateWireGuardKeyPair();
  await createExclusive(path, stringifyYaml({ privateKey: pair.privateKey, publicKey: pair.publicKey }));
  await tightenMode(path);
  const record = await readYamlRecord(path);
  const privateKey = record.privateKey;
  if (typeof privateKey !== 'string' || !isWireGuardKey(privateKey)) {
    throw new SpanwiseError('IDENTITY_CORRUPT', `${path}: privateKey is not a WireGuard key`, 'move the file away to make a new identity');
  }
  const publicKey = wireGuardPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    address: typeof record.address === 'string' ? record.address : undefined,
    subnet: typeof record.subnet === 'string' ? record.subnet : undefined,
  };
}

/** Rewrites the identity file atomically (same keys, new address/subnet), keeping 0600. */
export async function saveIdentity(stateDir: string, identity: IdentityFile): Promise<void> {
  const path = join(stateDir, IDENTITY_FILE);
  const tmp = `${path}.tmp`;
  const body = { address: identity.address, subnet: identity.subnet, privateKey: identity.privateKey, publicKey: identity.publicKey };
  await writeFile(tmp, stringifyYaml(body), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/** Loads the persisted node id, creating it once (base62 of 32 random bytes). */
export async function loadOrCreateNodeId(stateDir: string): Promise<string> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, NODE_ID_FILE);
  await createExclusive(path, stringifyYaml({ nodeId: newNodeId() }));
  const nodeId = (await readYamlRecord(path)).nodeId;
  if (typeof nodeId !== 'string' || !/^[0-9A-Za-z]{1,64}$/.test(nodeId))
    throw new SpanwiseError('IDENTITY_CORRUPT', `${path}: nodeId is missing or not base62`);
  return nodeId;
}
