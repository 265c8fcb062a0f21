-- CreateTable
CREATE TABLE "BatchScoring" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "sourceVersionId" TEXT NOT NULL,
    "outputDataset" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "rowsTotal" INTEGER,
    "rowsScored" INTEGER NOT NULL DEFAULT 0,
    "outputVersionId" TEXT,
    "error" TEXT,
    "requestedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BatchScoring_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BatchScoring_projectId_modelVersionId_createdAt_idx" ON "BatchScoring"("projectId", "modelVersionId", "createdAt");
