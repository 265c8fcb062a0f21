-- CreateEnum
CREATE TYPE "GateReportStatus" AS ENUM ('PENDING', 'RUNNING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "ApprovalDecision" AS ENUM ('APPROVE', 'REJECT');

-- CreateTable
CREATE TABLE "RegisteredModel" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "task" TEXT NOT NULL,
    "ownerId" TEXT,
    "autoRegisterExperimentId" TEXT,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RegisteredModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "task" TEXT NOT NULL,
    "signature" JSONB NOT NULL,
    "encoding" JSONB,
    "metrics" JSONB,
    "lineage" JSONB NOT NULL,
    "runId" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archivedAt" TIMESTAMP(3),

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelAlias" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModelAlias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelAliasEvent" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "fromVersionId" TEXT,
    "toVersionId" TEXT,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "gateReportId" TEXT,
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelAliasEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GatePolicyRevision" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "yaml" TEXT NOT NULL,
    "policy" JSONB NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "authorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GatePolicyRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GateReport" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "policyRevisionId" TEXT NOT NULL,
    "championVersionId" TEXT,
    "status" "GateReportStatus" NOT NULL DEFAULT 'PENDING',
    "passed" BOOLEAN,
    "report" JSONB,
    "sha256" TEXT,
    "error" TEXT,
    "requestedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "GateReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelApproval" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "gateReportId" TEXT NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "reportSha256" TEXT NOT NULL,
    "modelSha256" TEXT NOT NULL,
    "hmac" TEXT NOT NULL,
    "voidedAt" TIMESTAMP(3),
    "voidReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelApproval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RegisteredModel_projectId_name_key" ON "RegisteredModel"("projectId", "name");

-- CreateIndex
CREATE INDEX "ModelVersion_projectId_idx" ON "ModelVersion"("projectId");

-- CreateIndex
CREATE INDEX "ModelVersion_sha256_idx" ON "ModelVersion"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_modelId_number_key" ON "ModelVersion"("modelId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_modelId_sha256_key" ON "ModelVersion"("modelId", "sha256");

-- CreateIndex
CREATE INDEX "ModelAlias_versionId_idx" ON "ModelAlias"("versionId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelAlias_modelId_name_key" ON "ModelAlias"("modelId", "name");

-- CreateIndex
CREATE INDEX "ModelAliasEvent_modelId_alias_createdAt_idx" ON "ModelAliasEvent"("modelId", "alias", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "GatePolicyRevision_modelId_revision_key" ON "GatePolicyRevision"("modelId", "revision");

-- CreateIndex
CREATE INDEX "GateReport_versionId_createdAt_idx" ON "GateReport"("versionId", "createdAt");

-- CreateIndex
CREATE INDEX "GateReport_projectId_idx" ON "GateReport"("projectId");

-- CreateIndex
CREATE INDEX "ModelApproval_versionId_idx" ON "ModelApproval"("versionId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelApproval_gateReportId_userId_key" ON "ModelApproval"("gateReportId", "userId");

-- AddForeignKey
ALTER TABLE "RegisteredModel" ADD CONSTRAINT "RegisteredModel_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RegisteredModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelAlias" ADD CONSTRAINT "ModelAlias_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RegisteredModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelAliasEvent" ADD CONSTRAINT "ModelAliasEvent_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RegisteredModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GatePolicyRevision" ADD CONSTRAINT "GatePolicyRevision_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RegisteredModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GateReport" ADD CONSTRAINT "GateReport_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GateReport" ADD CONSTRAINT "GateReport_policyRevisionId_fkey" FOREIGN KEY ("policyRevisionId") REFERENCES "GatePolicyRevision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelApproval" ADD CONSTRAINT "ModelApproval_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelApproval" ADD CONSTRAINT "ModelApproval_gateReportId_fkey" FOREIGN KEY ("gateReportId") REFERENCES "GateReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;
