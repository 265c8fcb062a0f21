-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "deploymentId" TEXT,
ADD COLUMN     "scope" TEXT;

-- CreateTable
CREATE TABLE "Environment" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "requires" TEXT NOT NULL DEFAULT 'none',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Environment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deployment" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "strategy" TEXT NOT NULL DEFAULT 'direct',
    "status" TEXT NOT NULL DEFAULT 'active',
    "stableVersionId" TEXT NOT NULL,
    "candidateVersionId" TEXT,
    "candidatePercent" INTEGER NOT NULL DEFAULT 0,
    "rollout" JSONB,
    "logSampleRate" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "generation" INTEGER NOT NULL DEFAULT 1,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Deployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeploymentLedgerEntry" (
    "id" BIGSERIAL NOT NULL,
    "projectId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "fromSplit" JSONB,
    "toSplit" JSONB,
    "evidence" JSONB,
    "reason" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeploymentLedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PredictionLog" (
    "id" BIGSERIAL NOT NULL,
    "projectId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'primary',
    "inputs" JSONB NOT NULL,
    "outputs" JSONB NOT NULL,
    "latencyMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PredictionLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PredictionFeedback" (
    "id" BIGSERIAL NOT NULL,
    "projectId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "labels" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PredictionFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Environment_projectId_name_key" ON "Environment"("projectId", "name");

-- CreateIndex
CREATE INDEX "Deployment_modelId_idx" ON "Deployment"("modelId");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_projectId_name_key" ON "Deployment"("projectId", "name");

-- CreateIndex
CREATE INDEX "DeploymentLedgerEntry_projectId_idx" ON "DeploymentLedgerEntry"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentLedgerEntry_deploymentId_seq_key" ON "DeploymentLedgerEntry"("deploymentId", "seq");

-- CreateIndex
CREATE INDEX "PredictionLog_deploymentId_createdAt_idx" ON "PredictionLog"("deploymentId", "createdAt");

-- CreateIndex
CREATE INDEX "PredictionLog_requestId_idx" ON "PredictionLog"("requestId");

-- CreateIndex
CREATE UNIQUE INDEX "PredictionFeedback_deploymentId_requestId_key" ON "PredictionFeedback"("deploymentId", "requestId");

-- AddForeignKey
ALTER TABLE "Environment" ADD CONSTRAINT "Environment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
