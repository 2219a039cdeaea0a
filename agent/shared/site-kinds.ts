/** Where a machine sits: its config names it, its affiliate publishes it, and cloud nodes are preferred as relays. */
export const siteKinds = ['edge', 'datacenter', 'cloud'] as const;

/** One of siteKinds. */
export type SiteKind = (typeof siteKinds)[number];
