/** Prometheus metrics of the serving process (GET /metrics), one registry per server. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { PredictionLogger } from "../predictions/log";

export function servingMetrics(predictionLog?: PredictionLogger) {
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
    batchRows: new Histogram({
      name: "cairn_serve_batch_rows",
      help: "Rows per ONNX Runtime run: requests that wait for a model at once are scored together (CAIRN_SERVE_MAX_BATCH_ROWS)",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096],
      registers: [registry],
    }),
    batchRequests: new Histogram({
      name: "cairn_serve_batch_requests",
      help: "Requests scored together in one ONNX Runtime run",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    shadowScored: new Counter({ name: "cairn_serve_shadow_scored_total", help: "Mirrored requests the shadow candidate scored off the response path", labelNames, registers: [registry] }),
    shadowDropped: new Counter({
      name: "cairn_serve_shadow_dropped_total",
      help: "Mirrored requests not scored by the shadow candidate because CAIRN_SERVE_SHADOW_MAX_INFLIGHT scorings were already running",
      labelNames: ["deployment"],
      registers: [registry],
    }),
    shadowErrors: new Counter({ name: "cairn_serve_shadow_errors_total", help: "Shadow scorings that failed (never seen by callers)", labelNames, registers: [registry] }),
    predictionLog: new Gauge({
      name: "cairn_serve_prediction_log",
      help: "Prediction log entries since start, by outcome (written, dropped_overflow, dropped_failed, sampled_out, pending)",
      labelNames: ["outcome"],
      registers: [registry],
      collect() {
        if (!predictionLog) return;
        const s = predictionLog.stats();
        this.set({ outcome: "written" }, s.written);
        this.set({ outcome: "dropped_overflow" }, s.droppedOverflow);
        this.set({ outcome: "dropped_failed" }, s.droppedFailed);
        this.set({ outcome: "sampled_out" }, s.sampledOut);
        this.set({ outcome: "pending" }, s.pending);
      },
    }),
  };
}
export type ServingMetrics = ReturnType<typeof servingMetrics>;
