/** Prometheus metrics of the serving process (GET /metrics), one registry per server. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function servingMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ["deployment", "version"] as const;
  return {
    registry,
    requests: new Counter({ name: "cairn_serve_requests_total", help: "Inference requests answered, by deployment and the version that answered", labelNames: [...labelNames, "status"], registers: [registry] }),
    errors: new Counter({ name: "cairn_serve_errors_total", help: "Inference requests answered with an error status", labelNames: [...labelNames, "status"], registers: [registry] }),
    latency: new Histogram({
      name: "cairn_serve_latency_seconds",
      help: "Time from request to response for inference requests",
      labelNames,
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    shadowScored: new Counter({ name: "cairn_serve_shadow_scored_total", help: "Mirrored requests the shadow candidate scored off the response path", labelNames, registers: [registry] }),
    shadowErrors: new Counter({ name: "cairn_serve_shadow_errors_total", help: "Shadow scorings that failed (never seen by callers)", labelNames, registers: [registry] }),
  };
}
export type ServingMetrics = ReturnType<typeof servingMetrics>;
