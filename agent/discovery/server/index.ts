/** The discovery server as a library: the desktop backend starts it in-process for a LAN. */
export { startDiscoveryServer, type DiscoveryServer, type DiscoveryServerOptions } from './server.js';
export { DEFAULT_LIMITS, type Limits } from './limits.js';
export { DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limiter.js';
export { ManualClock, systemClock, type Clock } from '../../shared/clock.js';
export { silentLogger, stderrLogger, type Logger } from '../../shared/log.js';
export type { StoreStats } from './store.js';
export { defaultMemoryLimit, type MemoryStatus } from './memory-guard.js';
export type { LoadCaps } from './state-loader.js';
export type { TlsFiles } from './tls.js';
