-- CreateEnum
CREATE TYPE "RunKind" AS ENUM ('TRACKING', 'TRAINING');

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "error" TEXT,
ADD COLUMN     "hostname" TEXT,
ADD COLUMN     "jobId" TEXT,
ADD COLUMN     "kind" "RunKind" NOT NULL DEFAULT 'TRACKING',
ADD COLUMN     "progress" DOUBLE PRECISION,
ADD COLUMN     "resource" TEXT,
ADD COLUMN     "spec" JSONB;

-- CreateTable
CREATE TABLE "TrainingCommand" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "workdir" TEXT NOT NULL DEFAULT '.',
    "timeoutSeconds" INTEGER NOT NULL DEFAULT 3600,
    "env" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingCommand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunLogLine" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "stream" TEXT NOT NULL,
    "line" TEXT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunLogLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationReport" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "error" TEXT,
    "report" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EvaluationReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TrainingCommand_projectId_name_key" ON "TrainingCommand"("projectId", "name");

-- CreateIndex
CREATE INDEX "RunLogLine_runId_id_idx" ON "RunLogLine"("runId", "id");

-- CreateIndex
CREATE INDEX "EvaluationReport_projectId_idx" ON "EvaluationReport"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationReport_runId_versionId_split_key" ON "EvaluationReport"("runId", "versionId", "split");

-- AddForeignKey
ALTER TABLE "TrainingCommand" ADD CONSTRAINT "TrainingCommand_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunLogLine" ADD CONSTRAINT "RunLogLine_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationReport" ADD CONSTRAINT "EvaluationReport_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
