import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { stringify as toYaml } from 'yaml';
import { WatchEventType, type AgentServiceClient, type Resource, type WatchResourcesResponse } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { SpanwiseError } from '../lib/errors.js';
import type { OutputFormat } from '../lib/output-format.js';
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

  events(message: WatchResourcesResponse): { event: ChangeEvent; resource: Resource }[] {
    const out: { event: ChangeEvent; resource: Resource }[] = [];
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

/** Prints watch events: a table whose columns widen as wider cells arrive, or one JSON line / YAML document per event. */
export class EventPrinter {
  private widths: number[] = [];

  constructor(
    private readonly format: OutputFormat,
    private readonly layout: Omit<Layout, 'events' | 'wide'>,
    private readonly write: (text: string) => void,
  ) {}

  start(): void {
    if (this.format === 'table' || this.format === 'wide') this.line(tableHeader(this.tableLayout()));
  }

  print(event: ChangeEvent, resource: Resource, now = new Date()): void {
    if (this.format === 'json') this.write(`${JSON.stringify({ event, ...plainResource(resource) })}\n`);
    else if (this.format === 'yaml') this.write(`---\n${toYaml({ event, ...plainResource(resource) })}`);
    else this.line(tableRow(this.tableLayout(), resource, now, MARK[event]));
  }

  private tableLayout(): Layout {
    return { ...this.layout, wide: this.format === 'wide', events: true };
  }

  private line(cells: string[]): void {
    cells.forEach((cell, i) => (this.widths[i] = Math.max(this.widths[i] ?? 0, cell.length)));
    this.write(`${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(this.widths[i] ?? 0))).join('   ')}\n`);
  }
}

/**
 * Streams changes of one type (one resource with `id`) until SIGINT or SIGTERM, which end it with 0.
 * The stream failing or the agent ending it is a failure.
 */
export function watchChanges(client: AgentServiceClient, type: GetType, printer: EventPrinter, id?: string): Promise<number> {
  const api = type.kind.api;
  if (!api) throw new SpanwiseError('NOT_SERVED', `${type.name} is not served by the agent API`);
  const tracker = new ChangeTracker(id);
  const call = client.watchResources({ types: [api.type] }, new Metadata());
  printer.start();
  return new Promise<number>((resolve, reject) => {
    let stopping = false;
    const stop = () => {
      stopping = true;
      call.cancel();
    };
    const done = (finish: () => void) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      finish();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    call.on('data', (message: WatchResourcesResponse) => {
      for (const { event, resource } of tracker.events(message)) printer.print(event, resource);
    });
    call.on('error', (error: ServiceError) => {
      if (stopping && error.code === status.CANCELLED) done(() => resolve(0));
      else done(() => reject(new SpanwiseError('AGENT_UNREACHABLE', `agent API watch: ${error.details || error.message}`, 'check that the agent runs, and --node, --name and the client certificate files')));
    });
    call.on('end', () => {
      if (stopping) done(() => resolve(0));
      else done(() => reject(new SpanwiseError('WATCH_ENDED', 'the agent ended the watch (it stopped or restarted)', 'run the command again once the agent is back')));
    });
  });
}
