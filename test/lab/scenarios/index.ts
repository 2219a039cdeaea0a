import type { Scenario } from '../scenario.js';
import allOpen from './all-open.js';
import blockedApi from './blocked-api.js';
import dualStack from './dual-stack.js';
import egress from './egress.js';
import fleet8 from './fleet8.js';
import hardNat from './hard-nat.js';
import hardNatRelays from './hard-nat-relays.js';
import hostFirewall from './host-firewall.js';
import hybrid from './hybrid.js';
import mesh4 from './mesh4.js';

/** Every scenario the lab knows, by name. */
export const scenarios: Readonly<Record<string, Scenario>> = Object.fromEntries(
  [allOpen, hybrid, blockedApi, hostFirewall, hardNat, hardNatRelays, mesh4, fleet8, egress, dualStack].map((s) => [s.name, s]),
);

/** The scenario `up` builds when none is named. */
export const DEFAULT_SCENARIO = 'hybrid';

/** Looks a scenario up by name; throws listing the known ones. */
export function getScenario(name: string): Scenario {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(scenarios).join(', ')}`);
  return scenario;
}
