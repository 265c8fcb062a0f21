-- CreateEnum
CREATE TYPE "EvaluationStatus" AS ENUM ('PENDING', 'RUNNING', 'DONE', 'FAILED');

-- AlterTable: convert the stored strings in place (the generated DROP/ADD would reset every report to PENDING).
-- A value outside the four statuses (none was ever written) fails the cast and stops the migration.
ALTER TABLE "EvaluationReport" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "EvaluationReport" ALTER COLUMN "status" TYPE "EvaluationStatus" USING ("status"::"EvaluationStatus");
ALTER TABLE "EvaluationReport" ALTER COLUMN "status" SET DEFAULT 'PENDING';
