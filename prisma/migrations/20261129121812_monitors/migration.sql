-- CreateTable
CREATE TABLE "Monitor" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "reference" JSONB NOT NULL,
    "window" JSONB NOT NULL,
    "features" TEXT[],
    "mode" TEXT NOT NULL DEFAULT 'calibrated',
    "alpha" DOUBLE PRECISION NOT NULL DEFAULT 0.05,
    "effectFloors" JSONB NOT NULL DEFAULT '{}',
    "driftShare" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "schedule" TEXT NOT NULL DEFAULT '0 * * * *',
    "nextRunAt" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "labelDelaySeconds" INTEGER NOT NULL DEFAULT 3600,
    "minLabels" INTEGER NOT NULL DEFAULT 50,
    "latencyP95Ms" DOUBLE PRECISION,
    "errorRate" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Monitor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonitorReport" (
    "id" TEXT NOT NULL,
    "monitorId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "windowEnd" TIMESTAMP(3) NOT NULL,
    "rows" INTEGER NOT NULL,
    "features" JSONB NOT NULL DEFAULT '[]',
    "datasetDriftShare" DOUBLE PRECISION,
    "predictionDrift" JSONB,
    "figures" JSONB NOT NULL DEFAULT '{}',
    "verdict" TEXT NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MonitorReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ThresholdCache" (
    "key" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "statistic" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "alpha" DOUBLE PRECISION NOT NULL,
    "bootstraps" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ThresholdCache_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL,
    "monitorId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "condition" JSONB NOT NULL,
    "channelIds" TEXT[],
    "cooldownSeconds" INTEGER NOT NULL DEFAULT 3600,
    "severity" TEXT NOT NULL DEFAULT 'warning',
    "action" JSONB,
    "maxRunsPerDay" INTEGER NOT NULL DEFAULT 1,
    "retrainCooldownSeconds" INTEGER NOT NULL DEFAULT 86400,
    "lastRetrainAt" TIMESTAMP(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonitorAlertLink" (
    "id" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "pipelineRunId" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MonitorAlertLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Monitor_deploymentId_idx" ON "Monitor"("deploymentId");

-- CreateIndex
CREATE INDEX "Monitor_enabled_nextRunAt_idx" ON "Monitor"("enabled", "nextRunAt");

-- CreateIndex
CREATE UNIQUE INDEX "Monitor_projectId_name_key" ON "Monitor"("projectId", "name");

-- CreateIndex
CREATE INDEX "MonitorReport_monitorId_createdAt_idx" ON "MonitorReport"("monitorId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MonitorReport_monitorId_kind_windowStart_key" ON "MonitorReport"("monitorId", "kind", "windowStart");

-- CreateIndex
CREATE UNIQUE INDEX "AlertRule_monitorId_name_key" ON "AlertRule"("monitorId", "name");

-- CreateIndex
CREATE INDEX "MonitorAlertLink_incidentId_idx" ON "MonitorAlertLink"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "MonitorAlertLink_ruleId_reportId_key" ON "MonitorAlertLink"("ruleId", "reportId");

-- AddForeignKey
ALTER TABLE "Monitor" ADD CONSTRAINT "Monitor_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonitorReport" ADD CONSTRAINT "MonitorReport_monitorId_fkey" FOREIGN KEY ("monitorId") REFERENCES "Monitor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertRule" ADD CONSTRAINT "AlertRule_monitorId_fkey" FOREIGN KEY ("monitorId") REFERENCES "Monitor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonitorAlertLink" ADD CONSTRAINT "MonitorAlertLink_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Deployments made before monitoring get their default monitor (what the deployment.created consumer
-- creates for new ones): named after the deployment, training-data reference, hourly, calibrated.
INSERT INTO "Monitor" ("id", "projectId", "deploymentId", "name", "reference", "window", "features", "schedule", "nextRunAt", "updatedAt")
SELECT 'mon' || substr(md5(d."id" || clock_timestamp()::text), 1, 22), d."projectId", d."id", d."name",
       '{"kind":"training"}'::jsonb, '{"kind":"hourly"}'::jsonb, ARRAY[]::TEXT[], '0 * * * *',
       date_trunc('hour', now() AT TIME ZONE 'UTC') + interval '1 hour', now() AT TIME ZONE 'UTC'
FROM "Deployment" d
ON CONFLICT DO NOTHING;
