/**
 * The deployment table of one serving process: name → split between warmed models. Refreshed when
 * Postgres announces a change (LISTEN on a dedicated client) and by polling generations as a
 * fallback; a new split replaces the old only once every model it names is loaded and warmed.
 */
import pg from "pg";
import { db } from "../db";
import { env } from "../env";
import { versionKey, type ModelCache, type ServedModel } from "./models";
import { DEPLOYMENTS_CHANNEL } from "./schemas";

interface DeploymentHead {
  id: string;
  projectId: string;
  orgId: string;
  name: string;
  strategy: string;
  generation: number;
  candidatePercent: number;
  /** Share (0-1) of requests written to the prediction log. */
  logSampleRate: number;
  stableVersionId: string;
  candidateVersionId: string | null;
}

/** A deployment as served: its row with the loaded models in place of the version ids. */
export type Route = Omit<DeploymentHead, "id" | "stableVersionId" | "candidateVersionId"> & {
  deploymentId: string;
  stable: ServedModel;
  candidate: ServedModel | null;
};


async function readDeployments(): Promise<DeploymentHead[]> {
  const rows = await db().deployment.findMany({
    select: { id: true, projectId: true, name: true, strategy: true, generation: true, candidatePercent: true, logSampleRate: true, stableVersionId: true, candidateVersionId: true, project: { select: { orgId: true } } },
  });
  return rows.map(({ project, ...d }) => ({ ...d, orgId: project.orgId }));
}

export class RouteTable {
  private routes = new Map<string, Route>();
  /** Deployments with no split that can be served (their models failed to load): answered 503, retried on the next refresh. */
  private unservable = new Map<string, DeploymentHead & { reason: string }>();
  private listener: pg.Client | null = null;
  private poller: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private again = false;
  private closed = false;
  ready = false;

  constructor(private readonly models: ModelCache, private readonly opts: { pollMs: number; log: (line: string) => void }) {}

  /** Routes named `name`, one per project that has a deployment by that name. */
  byName(name: string): Route[] {
    const out: Route[] = [];
    for (const r of this.routes.values()) if (r.name === name) out.push(r);
    return out;
  }

  /** Deployments named `name` that cannot be served now, with the reason. */
  unservableByName(name: string): (Pick<Route, "deploymentId" | "projectId" | "orgId"> & { reason: string })[] {
    const out = [];
    for (const d of this.unservable.values()) if (d.name === name) out.push({ deploymentId: d.id, projectId: d.projectId, orgId: d.orgId, reason: d.reason });
    return out;
  }

  all(): Route[] {
    return [...this.routes.values()];
  }

  async start(): Promise<void> {
    await this.listen();
    await this.refresh();
    this.ready = true;
    this.poller = setInterval(() => void this.refresh().catch((err: Error) => this.opts.log(`refresh failed: ${err.message}`)), this.opts.pollMs);
    this.poller.unref();
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: env().DATABASE_URL });
    client.on("notification", () => void this.refresh().catch((err: Error) => this.opts.log(`refresh failed: ${err.message}`)));
    client.on("error", (err) => {
      // Polling keeps routes fresh meanwhile; reconnect so notifications resume.
      this.opts.log(`LISTEN connection lost (${err.message}); polling until it is back`);
      this.listener = null;
      setTimeout(() => void this.listen().catch(() => undefined), 1000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${DEPLOYMENTS_CHANNEL}`);
    this.listener = client;
  }

  /** Rereads deployments; calls made while one runs coalesce into one more pass. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.again = false;
          await this.apply(await readDeployments());
        } while (this.again);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async apply(heads: DeploymentHead[]): Promise<void> {
    const next = new Map<string, Route>();
    const unservable = new Map<string, DeploymentHead & { reason: string }>();
    await Promise.all(
      heads.map(async (d) => {
        const current = this.routes.get(d.id);
        if (current && current.generation === d.generation) {
          next.set(d.id, current);
          return;
        }
        try {
          const [stable, candidate] = await Promise.all([this.models.load(d.projectId, d.stableVersionId), d.candidateVersionId ? this.models.load(d.projectId, d.candidateVersionId) : null]);
          next.set(d.id, { deploymentId: d.id, projectId: d.projectId, orgId: d.orgId, name: d.name, strategy: d.strategy, generation: d.generation, candidatePercent: d.candidatePercent, logSampleRate: d.logSampleRate, stable, candidate });
        } catch (err) {
          this.opts.log(`deployment ${d.name} (${d.id}) generation ${d.generation} cannot be served: ${(err as Error).message}`);
          // Keep answering with the last split that worked rather than failing every request.
          if (current) next.set(d.id, current);
          else unservable.set(d.id, { ...d, reason: (err as Error).message });
        }
      }),
    );
    this.routes = next;
    this.unservable = unservable;
    const keep = new Set<string>();
    for (const r of next.values()) {
      keep.add(versionKey(r.projectId, r.stable.versionId));
      if (r.candidate) keep.add(versionKey(r.projectId, r.candidate.versionId));
    }
    await this.models.retain(keep);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    await this.refreshing?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }
}
