/** The discovery client: typed calls, a reconnecting watch, and member decryption for `discovery list`. */
export { DiscoveryCallError, DiscoveryClient, type AffiliateUpdate, type DiscoveryClientOptions, type HelloResult } from './discovery-client.js';
export { WatchSession, type WatchHandler, type WatchSessionOptions } from './watch-session.js';
export { decryptMembers, membersTable, type MemberView } from './members.js';
