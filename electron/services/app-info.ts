import { VERSION } from '../../agent/shared/version.js';
import type { SecretsInfo } from '../contract/app.js';
import type { EmbeddedDiscoveryStatus } from '../contract/clusters.js';
import type { AppInfo, AppMode } from '../contract/index.js';
import { readAgentBundle, type AgentFiles } from './agent-bundle.js';

/** Reports the backend's version, mode, data dir, how it seals secrets, and the agent bundle it would push. */
export class AppInfoService {
  constructor(
    private readonly mode: AppMode,
    private readonly dataDir: string,
    private readonly agentFiles: AgentFiles,
    private readonly secrets: SecretsInfo,
    /** The embedded discovery of the current cluster (null when its placement is not embedded). */
    private readonly discovery: () => EmbeddedDiscoveryStatus | null = () => null,
  ) {}

  async info(): Promise<AppInfo> {
    const bundle = await readAgentBundle(this.agentFiles);
    return {
      version: VERSION,
      mode: this.mode,
      dataDir: this.dataDir,
      agentBundle: bundle && { path: bundle.path, sha256: bundle.sha256, bytes: bundle.bytes.length },
      secrets: this.secrets,
      discovery: this.discovery(),
    };
  }
}
