-- AlterTable
ALTER TABLE "DatasetVersion" ADD COLUMN     "schemaChange" JSONB;
