import type { Services } from '../services/index.js';
import type { Handlers } from './types.js';

/** Handlers of the cluster domain. */
export function clusterHandlers({
  clusters,
  members,
  talos,
}: Services): Pick<
  Handlers,
  | 'cluster:list'
  | 'cluster:create'
  | 'cluster:select'
  | 'cluster:delete'
  | 'cluster:rekeyCa'
  | 'cluster:members'
  | 'cluster:talosPatch'
  | 'cluster:createFromTalos'
> {
  return {
    'cluster:list': async () => clusters.list(),
    'cluster:create': async ({ name, discovery }) => clusters.create(name, discovery),
    'cluster:select': async ({ name }) => clusters.select(name),
    'cluster:delete': async ({ name }) => clusters.delete(name),
    'cluster:rekeyCa': async ({ name }) => clusters.rekeyCa(name),
    'cluster:members': async ({ name }) => members.members(name),
    'cluster:talosPatch': async ({ name, showSecrets }) => talos.patch(name, showSecrets),
    'cluster:createFromTalos': async ({ name, config }) => talos.createFrom(name, config),
  };
}
