-- CreateTable
CREATE TABLE "Pipeline" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currentRevisionId" TEXT,
    "webhookSecret" TEXT NOT NULL,
    "nextCronAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "archivedAt" TIMESTAMP(3),

    CONSTRAINT "Pipeline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineRevision" (
    "id" TEXT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "yaml" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "sha256" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PipelineRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineRun" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "revisionId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "trigger" TEXT NOT NULL,
    "triggerInfo" JSONB NOT NULL,
    "params" JSONB NOT NULL,
    "idempotencyKey" TEXT,
    "createdById" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "PipelineRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineStepRun" (
    "id" TEXT NOT NULL,
    "pipelineRunId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "inputHash" TEXT,
    "cachedFromId" TEXT,
    "outputs" JSONB,
    "message" TEXT,
    "log" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "deadlineAt" TIMESTAMP(3),

    CONSTRAINT "PipelineStepRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "runId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Pipeline_nextCronAt_idx" ON "Pipeline"("nextCronAt");

-- CreateIndex
CREATE UNIQUE INDEX "Pipeline_projectId_name_key" ON "Pipeline"("projectId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "PipelineRevision_pipelineId_number_key" ON "PipelineRevision"("pipelineId", "number");

-- CreateIndex
CREATE INDEX "PipelineRun_projectId_createdAt_idx" ON "PipelineRun"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "PipelineRun_pipelineId_status_idx" ON "PipelineRun"("pipelineId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PipelineRun_pipelineId_number_key" ON "PipelineRun"("pipelineId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "PipelineRun_pipelineId_idempotencyKey_key" ON "PipelineRun"("pipelineId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "PipelineStepRun_inputHash_idx" ON "PipelineStepRun"("inputHash");

-- CreateIndex
CREATE UNIQUE INDEX "PipelineStepRun_pipelineRunId_stepId_key" ON "PipelineStepRun"("pipelineRunId", "stepId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_pipelineId_provider_deliveryId_key" ON "WebhookDelivery"("pipelineId", "provider", "deliveryId");

-- AddForeignKey
ALTER TABLE "Pipeline" ADD CONSTRAINT "Pipeline_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineRevision" ADD CONSTRAINT "PipelineRevision_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineRun" ADD CONSTRAINT "PipelineRun_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineRun" ADD CONSTRAINT "PipelineRun_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "PipelineRevision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineStepRun" ADD CONSTRAINT "PipelineStepRun_pipelineRunId_fkey" FOREIGN KEY ("pipelineRunId") REFERENCES "PipelineRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
