-- CreateEnum
CREATE TYPE "CompareStatus" AS ENUM ('PENDING', 'RUNNING', 'READY', 'FAILED');

-- CreateTable
CREATE TABLE "CompareResult" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "baseVersionId" TEXT NOT NULL,
    "targetVersionId" TEXT NOT NULL,
    "status" "CompareStatus" NOT NULL DEFAULT 'PENDING',
    "result" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "CompareResult_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CompareResult_projectId_idx" ON "CompareResult"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "CompareResult_baseVersionId_targetVersionId_key" ON "CompareResult"("baseVersionId", "targetVersionId");

-- AddForeignKey
ALTER TABLE "CompareResult" ADD CONSTRAINT "CompareResult_baseVersionId_fkey" FOREIGN KEY ("baseVersionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompareResult" ADD CONSTRAINT "CompareResult_targetVersionId_fkey" FOREIGN KEY ("targetVersionId") REFERENCES "DatasetVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
