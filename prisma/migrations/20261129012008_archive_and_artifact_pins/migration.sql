-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN     "archivedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "archivedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ArtifactPin" (
    "id" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArtifactPin_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ArtifactPin_sha256_idx" ON "ArtifactPin"("sha256");

-- CreateIndex
CREATE INDEX "DatasetVersion_sha256_idx" ON "DatasetVersion"("sha256");

-- CreateIndex
CREATE INDEX "RunArtifact_sha256_idx" ON "RunArtifact"("sha256");
