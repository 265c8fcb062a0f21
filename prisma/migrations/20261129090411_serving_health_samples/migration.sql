-- CreateTable
CREATE TABLE "ServingHealthSample" (
    "id" BIGSERIAL NOT NULL,
    "projectId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "processId" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "clientErrors" INTEGER NOT NULL DEFAULT 0,
    "latencyCounts" INTEGER[],
    "latencySumMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServingHealthSample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ServingHealthSample_deploymentId_windowStart_idx" ON "ServingHealthSample"("deploymentId", "windowStart");

-- CreateIndex
CREATE INDEX "ServingHealthSample_windowStart_idx" ON "ServingHealthSample"("windowStart");

-- CreateIndex
CREATE UNIQUE INDEX "ServingHealthSample_deploymentId_versionId_processId_window_key" ON "ServingHealthSample"("deploymentId", "versionId", "processId", "windowStart");
