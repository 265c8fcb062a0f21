-- CreateEnum
CREATE TYPE "MetricGoal" AS ENUM ('MIN', 'MAX');

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "primaryMetric" TEXT,
ADD COLUMN     "primaryMetricGoal" "MetricGoal";
