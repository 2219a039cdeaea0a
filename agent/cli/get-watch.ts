import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { stringify as toYaml } from 'yaml';
import { WatchEventType, type AgentServiceClient, type Resource, type WatchResourcesResponse } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { agentPlace } from '../api/client.js';
import { agentCallError } from '../api/rpc-error.js';
import { SpanwiseError } from '../shared/errors.js';
import type { OutputFormat } from '../shared/output-format.js';
import type { GetType } from './get-types.js';
import { plainResource, tableHeader, tableRow, type Layout } from './output.js';

/** What happened to a resource, as a watch prints it. */
export type ChangeEvent = 'created' | 'updated' | 'destroyed';

/** The event column of a watch table, as `talosctl get -w` marks rows ('+' created, '-' destroyed; '*' updated). */
const MARK: Record<ChangeEvent, string> = { created: '+', updated: '*', destroyed: '-' };

/** Turns watch messages into per-resource events: the snapshot's resources count as created, later upserts as created or updated. */
export class ChangeTracker {
  private readonly known = new Set<string>();

  constructor(private readonly id?: string) {}

  events(message: WatchResourcesResponse): Change[] {
    const out: Change[] = [];
    if (message.type === WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT) this.known.clear();
    const resources = [...message.resources].sort((a, b) => order(a) - order(b));
    for (const resource of resources) {
      const id = resource.metadata?.id ?? '';
      if (this.id !== undefined && id !== this.id) continue;
      if (message.type === WatchEventType.WATCH_EVENT_TYPE_DELETED) {
        if (this.known.delete(id)) out.push({ event: 'destroyed', resource });
      } else {
        out.push({ event: this.known.has(id) ? 'updated' : 'created', resource });
        this.known.add(id);
      }
    }
    return out;
  }
}

const order = (r: Resource) => (r.spec?.$case === 'endpoint' ? r.spec.value.order : 0);

/** One change of one resource. */
export interface Change {
  event: ChangeEvent;
  resource: Resource;
}

/**
 * Prints watch events: a table (the header before the first batch, each batch aligned with what came
 * before, columns widening as wider cells arrive), or one JSON line / YAML document per event.
 */
export class EventPrinter {
  private widths: number[] | undefined;

  constructor(
    private readonly format: OutputFormat,
    private readonly layout: Omit<Layout, 'events' | 'wide'>,
    private readonly write: (text: string) => void,
  ) {}

  /** Prints the changes of one watch message. */
  print(changes: readonly Change[], now = new Date()): void {
    if (this.format === 'json' || this.format === 'yaml') {
      for (const { event, resource } of changes) {
        const doc = { event, ...plainResource(resource) };
        this.write(this.format === 'json' ? `${JSON.stringify(doc)}\n` : `---\n${toYaml(doc)}`);
      }
      return;
    }
    const layout: Layout = { ...this.layout, wide: this.format === 'wide', events: true };
    const rows = changes.map(({ event, resource }) => tableRow(layout, resource, now, MARK[event]));
    if (!this.widths) rows.unshift(tableHeader(layout));
    const widths = (this.widths ??= []);
    for (const cells of rows) cells.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
    for (const cells of rows)
      this.write(
        `${cells
          .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
          .join('   ')
          .trimEnd()}\n`,
      );
  }
}

/**
 * Streams changes of one type (one resource with `id`) until SIGINT, SIGTERM or a closed stdout, which end it with 0.
 * The stream failing or the agent ending it is a failure.
 */
export function watchChanges(client: AgentServiceClient, type: GetType, printer: EventPrinter, id?: string): Promise<number> {
  const api = type.kind.api;
  if (!api) throw new SpanwiseError('NOT_SERVED', `${type.name} is not served by the agent API`);
  const tracker = new ChangeTracker(id);
  const call = client.watchResources({ types: [api.type] }, new Metadata());
  return new Promise<number>((resolve, reject) => {
    let stopping = false;
    const stop = () => {
      stopping = true;
      call.cancel();
    };
    // A reader that went away (`get -w | head`) ends the watch like Ctrl-C.
    const closed = (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? stop() : undefined);
    const done = (finish: () => void) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stdout.off('error', closed);
      finish();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.stdout.on('error', closed);
    call.on('data', (message: WatchResourcesResponse) => {
      printer.print(tracker.events(message));
    });
    call.on('error', (error: ServiceError) => {
      if (stopping && error.code === status.CANCELLED) done(() => resolve(0));
      else done(() => reject(agentCallError(error, agentPlace(client), 'WatchResources')));
    });
    call.on('end', () => {
      if (stopping) done(() => resolve(0));
      else
        done(() =>
          reject(new SpanwiseError('WATCH_ENDED', 'the agent ended the watch (it stopped or restarted)', 'run the command again once the agent is back')),
        );
    });
  });
}
