import type { MachineInput, MachinePatch } from '../../contract/machines.js';
import { routeVia, type HostKeyPlace } from '../ssh/host-keys.js';

type Keyed = Record<string, string | boolean | null | undefined>;

/** Applies key-by-key changes: absent keeps, null removes, a value replaces. */
function mergeKeys<T extends object>(stored: T, changes: Keyed | undefined): T {
  if (!changes) return stored;
  const out: Keyed = { ...(stored as Keyed) };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out as T;
}

/** The machine an update (or a test) describes: `patch` over `stored`, before validation. */
export function applyPatch(stored: MachineInput, patch: MachinePatch): MachineInput {
  const jumpAuth =
    patch.jumpAuth === null
      ? undefined
      : patch.jumpAuth
        ? mergeKeys<NonNullable<MachineInput['jumpAuth']>>(stored.jumpAuth ?? {}, patch.jumpAuth)
        : stored.jumpAuth;
  return {
    ...stored,
    ssh: { ...stored.ssh, ...patch.ssh },
    auth: mergeKeys<NonNullable<MachineInput['auth']>>(stored.auth ?? {}, patch.auth),
    jump: patch.jump ?? stored.jump ?? [],
    ...(jumpAuth ? { jumpAuth } : { jumpAuth: undefined }),
    site: patch.site ?? stored.site,
    role: patch.role ?? stored.role,
    labels: patch.labels ?? stored.labels,
  };
}

type Route = { ssh: { host: string; port: number }; jump: Array<{ host: string; port: number }> };

/** Every place a route meets a host key: each jump host, then the machine. */
export function routePlaces({ ssh, jump }: Route): HostKeyPlace[] {
  const chain = [...jump, ssh];
  return chain.map((hop, i) => ({ via: routeVia(chain.slice(0, i)), host: hop.host, port: hop.port }));
}

const placeKey = (p: HostKeyPlace) => `${p.via}|${p.host}|${p.port}`;

/** The places `before` used that neither `after` nor any of `others` uses: their trusted keys are stale. */
export function stalePlaces(before: Route, after: Route, others: Route[]): HostKeyPlace[] {
  const kept = new Set([after, ...others].flatMap(routePlaces).map(placeKey));
  return routePlaces(before).filter((place) => !kept.has(placeKey(place)));
}
