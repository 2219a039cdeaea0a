import type { PreflightFacts } from './preflight.js';
import { hostNodeSuitable, nodeMajor, pinnedRuntimes, runtimeArchOf, type RuntimeArch, type RuntimeEntry, type RuntimeManifest } from './runtime-manifest.js';

/** Which `node` runs the agent on a host, decided from pre-flight facts. */
export type RuntimePlan =
  | { kind: 'host'; path: string; version: string }
  | { kind: 'upload'; arch: RuntimeArch; entry: RuntimeEntry; compression: 'xz' | 'gzip'; cached: boolean }
  | { kind: 'blocked'; code: 'RUNTIME_ARCH_UNSUPPORTED' | 'RUNTIME_NEEDS_GLIBC' | 'NO_DECOMPRESSOR'; message: string; fix: string };

/**
 * The host's own Node when it is the runtime's major or newer (on an arch without a runtime:
 * the lowest pinned major or newer), else the pinned runtime, compressed with xz where the
 * host can unpack it and gzip otherwise.
 */
export function runtimePlan(facts: PreflightFacts, manifest: RuntimeManifest = pinnedRuntimes): RuntimePlan {
  const arch = runtimeArchOf(facts.arch);
  const entry = arch ? manifest[arch] : undefined;
  const lowest = Math.min(...Object.values(manifest).map((e) => nodeMajor(e.version)));
  const floor = entry ?? { version: `${lowest}.0.0` };
  if (facts.nodePath && facts.nodeVersion && hostNodeSuitable(facts.nodeVersion, floor))
    return { kind: 'host', path: facts.nodePath, version: facts.nodeVersion };
  const has = facts.nodeVersion ? `its node ${facts.nodeVersion} is older than ${nodeMajor(floor.version)}` : 'it has no node';
  if (!arch || !entry)
    return {
      kind: 'blocked',
      code: 'RUNTIME_ARCH_UNSUPPORTED',
      message: `Spanwise has no Node runtime for ${facts.arch || 'this arch'} (it ships x86_64, aarch64 and armv7l), and ${has}`,
      fix: `install Node.js ${lowest} or newer on the host, then re-run`,
    };
  if (facts.libc === 'musl')
    return {
      kind: 'blocked',
      code: 'RUNTIME_NEEDS_GLIBC',
      message: `the host uses musl (${facts.os || 'Alpine'}), where the official Node builds do not run, and ${has}`,
      fix: `install Node.js ${nodeMajor(entry.version)} or newer from the distribution (Alpine: apk add nodejs-current), then re-run`,
    };
  const compression = facts.decompressors.includes('xz') ? 'xz' : facts.decompressors.includes('gzip') ? 'gzip' : null;
  const cached = facts.cachedRuntimes.includes(entry.version);
  if (!compression && !cached)
    return {
      kind: 'blocked',
      code: 'NO_DECOMPRESSOR',
      message: `the host needs the Node ${entry.version} runtime (${has}), and has neither xz nor gzip to unpack it`,
      fix: 'install xz-utils or gzip on the host, then re-run',
    };
  return { kind: 'upload', arch, entry, compression: compression ?? 'gzip', cached };
}
